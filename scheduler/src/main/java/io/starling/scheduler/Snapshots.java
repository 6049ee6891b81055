package io.starling.scheduler;

import io.starling.ownership.ShardLease;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes the owned shards' snapshots, one write at a time so that an older snapshot never
 * lands after a newer one, each after renewing the leases (both lock the lease rows: one after
 * the other, for two statements locking the same rows at once can deadlock each other). A shard
 * whose lease is not renewable or whose write is fenced was taken over, and stops.
 */
final class Snapshots {

  /** What the snapshots are of: the scheduler's shards. */
  interface Source {

    /** The snapshots of the shards changed since their last ({@code all}: of every shard). */
    List<ScheduleStore.ShardSnapshot> take(boolean all, Instant takenAt);

    /** These were not written: take them again next time. */
    void unwritten(Collection<ShardLease> leases);
  }

  private final ScheduleStore store;
  private final ScheduleLeases leases;
  private final TimeSource time;
  private final SchedulerMetrics metrics;
  private final StoreHealth health;
  private final Source source;
  private Future<Void> writing;

  Snapshots(ScheduleStore store, ScheduleLeases leases, TimeSource time, SchedulerMetrics metrics,
      StoreHealth health, Source source) {
    this.store = store;
    this.leases = leases;
    this.time = time;
    this.metrics = metrics;
    this.health = health;
    this.source = source;
  }

  /** Writes what changed ({@code all}: every owned shard, as a stop does). */
  Future<Void> write(boolean all) {
    Promise<Void> finished = Promise.promise();
    synchronized (this) {
      if (writing != null) {
        return all ? writing.transform(done -> write(true)) : writing;
      }
      writing = finished.future();
    }
    long started = time.nanoTime();
    Instant takenAt = time.now();
    List<ScheduleStore.ShardSnapshot> snapshots = source.take(all, takenAt);
    leases.renew().compose(renewed -> snapshots.isEmpty() ? Future.succeededFuture()
            : store.write(snapshots, takenAt).<Void>map(held -> {
              List<ShardLease> unwritten = new ArrayList<>();
              for (ScheduleStore.ShardSnapshot snapshot : snapshots) {
                Boolean stored = held.get(snapshot.lease().shard());
                if (stored == null) {
                  leases.lost(snapshot.lease());
                } else if (!stored) {
                  unwritten.add(snapshot.lease());
                }
              }
              source.unwritten(unwritten);
              metrics.snapshotSeconds.observe((time.nanoTime() - started) / 1e9);
              return null;
            }))
        .onSuccess(done -> health.succeeded())
        .onFailure(e -> {
          health.failed("snapshot", e);
          source.unwritten(snapshots.stream().map(ScheduleStore.ShardSnapshot::lease).toList());
        })
        .onComplete(done -> {
          synchronized (this) {
            writing = null;
          }
          finished.handle(done);
        });
    return finished.future();
  }
}
