package io.starling.scheduler;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the owned shards in line with their activations and deactivations: every
 * {@code scheduler.poll-interval} it reads the shards' change counters (one small row each) and
 * reloads the active schedules of a shard whose counter moved. A schedule gone, or re-activated
 * with a new anchor, leaves; a new one is planned from its activation. State is the
 * scheduler's, guarded by its lock.
 */
final class Reloads {

  /** What a reload changes: the scheduler's shards. */
  interface Shards {

    /** The shards owned here, by shard; read and changed under the lock only. */
    Map<Integer, ShardSchedules> byShard();

    /** Lets a schedule go (under the lock). */
    void remove(ShardSchedules shard, ScheduleState state);

    /** Starts planned schedules in the shards they were planned for (under the lock). */
    void register(List<ScheduleState> states, Map<Integer, ShardSchedules> planned);

    /** Launches what is due. */
    void pump();
  }

  private final Object lock;
  private final ScheduleStore store;
  private final Planner planner;
  private final StoreHealth health;
  private final Shards shards;

  Reloads(Object lock, ScheduleStore store, Planner planner, StoreHealth health, Shards shards) {
    this.lock = lock;
    this.store = store;
    this.planner = planner;
    this.health = health;
    this.shards = shards;
  }

  /** Reloads the shards whose change counters moved since they were loaded. */
  void poll() {
    List<Integer> ids;
    synchronized (lock) {
      ids = shards.byShard().entrySet().stream().filter(entry -> !entry.getValue().reloading)
          .map(Map.Entry::getKey).toList();
    }
    if (ids.isEmpty()) {
      return;
    }
    store.changes(ids).compose(counters -> {
      Map<ShardSchedules, Long> moved = new HashMap<>();
      synchronized (lock) {
        counters.forEach((id, changes) -> {
          ShardSchedules shard = shards.byShard().get(id);
          if (shard != null && !shard.reloading && changes != shard.changes) {
            shard.reloading = true;
            moved.put(shard, changes);
          }
        });
      }
      if (moved.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Integer> movedIds = moved.keySet().stream().map(shard -> shard.lease.shard()).toList();
      return store.active(movedIds)
          .compose(active -> reloaded(moved, active))
          .onFailure(e -> unmark(moved.keySet()));
    }).onSuccess(done -> health.succeeded()).onFailure(e -> health.failed("poll", e));
  }

  /**
   * Brings the reloaded shards in line with their active schedules: gone or re-activated ones
   * leave, new ones are planned from their activations; a shard's counter is taken once all of
   * that is in, so a failure leaves it to the next poll.
   */
  private Future<Void> reloaded(Map<ShardSchedules, Long> moved, List<ActiveSchedule> active) {
    List<ActiveSchedule> added = new ArrayList<>();
    Map<Integer, ShardSchedules> planned = new HashMap<>();
    synchronized (lock) {
      Map<Long, ActiveSchedule> byRowId = new HashMap<>();
      active.forEach(schedule -> byRowId.put(schedule.rowId(), schedule));
      for (ShardSchedules shard : moved.keySet()) {
        int id = shard.lease.shard();
        if (shards.byShard().get(id) != shard) {
          continue; // stopped, or stopped and taken again, while reloading
        }
        planned.put(id, shard);
        for (ScheduleState state : new ArrayList<>(shard.byRowId.values())) {
          ActiveSchedule current = byRowId.get(state.plan.rowId());
          if (current == null || !current.activatedAt().equals(state.plan.activatedAt())) {
            shards.remove(shard, state);
          }
        }
        for (ActiveSchedule schedule : active) {
          if (schedule.shard() == id && !shard.byRowId.containsKey(schedule.rowId())) {
            added.add(schedule);
          }
        }
      }
    }
    return planner.plan(added, schedule -> null).map(states -> {
      synchronized (lock) {
        shards.register(states, planned);
        moved.forEach((shard, changes) -> {
          shard.changes = changes;
          shard.reloading = false;
        });
      }
      shards.pump();
      return null;
    });
  }

  private void unmark(Collection<ShardSchedules> reloading) {
    synchronized (lock) {
      reloading.forEach(shard -> shard.reloading = false);
    }
  }
}
