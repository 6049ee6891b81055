package io.starling.ownership;

/**
 * Proof that this replica owns a shard: the epoch it was granted when it took the shard over.
 * Every state write presents the lease of the execution's shard and commits only while the
 * epoch in {@code shard_leases} is still this one; a replica that has no lease cannot write.
 */
public record ShardLease(int shard, long epoch, String owner) {}
