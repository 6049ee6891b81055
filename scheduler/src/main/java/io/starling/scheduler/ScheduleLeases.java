package io.starling.scheduler;

import io.starling.ownership.LeaseStore;
import io.starling.ownership.LeaseTable;
import io.starling.ownership.ShardLease;
import io.starling.ownership.ShardOwnership;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's shards as leases in {@code schedule_leases}, run by the ownership state
 * machine the propeller runs its own with: acquired when assigned, renewed with every snapshot,
 * released when let go; one refused means another replica owns the shard now, and it stops.
 */
final class ScheduleLeases {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleLeases.class);

  private final LeaseTable table;
  private final SchedulerOptions options;
  private final SchedulerMetrics metrics;
  private final ShardOwnership ownership;

  ScheduleLeases(LeaseTable table, SchedulerOptions options, TimeSource time,
      SchedulerMetrics metrics, ShardOwnership.Listener listener) {
    this.table = table;
    this.options = options;
    this.metrics = metrics;
    this.ownership = new ShardOwnership(store(), time, options.retryDelay(), listener);
  }

  Future<Void> assign(Collection<Integer> shards) {
    return ownership.assign(shards);
  }

  Future<Void> unassign(Collection<Integer> shards) {
    return ownership.unassign(shards);
  }

  Future<Void> stopAll() {
    return ownership.stopAll();
  }

  /** The lease of {@code shard} while it is owned, else null; takes no lock. */
  ShardLease lease(int shard) {
    return ownership.lease(shard);
  }

  /** Renews the leases held; a lease not renewable was lost. */
  Future<Void> renew() {
    List<ShardLease> held = ownership.leases();
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    return table.renew(held).map(current -> {
      held.stream().filter(lease -> !current.contains(lease.shard())).forEach(this::lost);
      return null;
    });
  }

  /** A write under {@code lease} was refused: the shard stops if that is still its lease. */
  void lost(ShardLease lease) {
    if (ownership.lost(lease)) {
      metrics.shardsLost.inc();
      LOG.atWarn().addKeyValue("shard", lease.shard())
          .log("schedule lease lost: another replica fires this shard's schedules now");
    }
  }

  private LeaseStore store() {
    return new LeaseStore() {
      @Override
      public Future<List<ShardLease>> acquire(Collection<Integer> shards) {
        return table.acquire(shards, options.replicaId());
      }

      @Override
      public Future<Void> release(Collection<ShardLease> leases) {
        return table.release(leases);
      }

      @Override
      public Future<Set<Integer>> reclaimable(Collection<Integer> shards) {
        return table.reclaimable(shards, options.leaseTimeout());
      }
    };
  }
}
