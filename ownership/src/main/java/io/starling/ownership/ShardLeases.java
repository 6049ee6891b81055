package io.starling.ownership;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shards this replica owns now, with their leases. Ownership changes (a replica joining or
 * leaving) add and remove leases here; the propeller consults it before every round.
 */
public final class ShardLeases {

  private final Map<Integer, ShardLease> byShard = new ConcurrentHashMap<>();

  public void granted(Collection<ShardLease> leases) {
    leases.forEach(lease -> byShard.put(lease.shard(), lease));
  }

  public void revoked(int shard) {
    byShard.remove(shard);
  }

  /** The lease of {@code shard}, or null when this replica does not own it. */
  public ShardLease lease(int shard) {
    return byShard.get(shard);
  }

  public Integer[] shards() {
    return byShard.keySet().toArray(new Integer[0]);
  }
}
