package io.starling.ownership;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** What {@link ShardOwnership} asks of {@code shard_leases}, for one replica. */
public interface LeaseStore {

  /** Bumps the epochs of {@code shards} for this replica and returns its new leases. */
  Future<List<ShardLease>> acquire(Collection<Integer> shards);

  /** Releases {@code leases}, so their shards may be taken at once. */
  Future<Void> release(Collection<ShardLease> leases);

  /**
   * Which of {@code shards} nobody holds any more: a released lease, or one its holder stopped
   * renewing.
   */
  Future<Set<Integer>> reclaimable(Collection<Integer> shards);
}
