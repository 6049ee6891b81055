package io.starling.propeller.store;

import io.starling.ownership.ShardLease;

/**
 * A round's write was refused because its lease is no longer the shard's current one: another
 * replica took the shard over (its epoch is higher). Nothing of the round was written, and
 * nothing more of the shard may be until this replica acquires it anew.
 */
public final class ShardLostException extends RuntimeException {

  private final ShardLease lease;

  public ShardLostException(ShardLease lease) {
    super("shard " + lease.shard() + " is no longer held at epoch " + lease.epoch(), null,
        false, false);
    this.lease = lease;
  }

  /** The lease that was refused. */
  public ShardLease lease() {
    return lease;
  }
}
