package io.starling.scheduler;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.ownership.LeaseTable;
import io.starling.ownership.ShardLease;
import io.starling.ownership.ShardOwnership;
import io.starling.scheduler.wheel.TimingWheel;
import io.starling.time.TimeSource;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the schedules of the shards this replica owns: every slot of an active launch plan
 * version gets exactly one execution, named after the plan and the slot, so a slot fired twice
 * (by a replica that took the shard over, or after a restart) finds its execution and counts
 * as done.
 *
 * <p>A shard is owned through its lease in {@code schedule_leases} ({@link ScheduleLeases},
 * the propeller's state machine). Taking it over reads its snapshot and its active schedules;
 * each goes on from what the snapshot says it fired (else from its activation), firing the
 * slots missed meanwhile by its catch-up policy, oldest first, then waiting in the timing
 * wheel for its next slot. Activations and deactivations reach the owner through the shard's
 * change counter, polled every {@code scheduler.poll-interval}; a deactivated version stops at
 * once regardless, for the statement that creates a slot's execution checks that the version
 * is still active. Snapshots are written every {@code scheduler.snapshot-interval} under the
 * lease; one that is refused means another replica owns the shard, which stops here.
 *
 * <p>All state is guarded by this object's lock; launches and database calls are made outside
 * it, and nothing blocks.
 */
public final class Scheduler {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private final ScheduleStore store;
  private final Launcher launcher;
  private final SchedulerOptions options;
  private final TimeSource time;
  private final SchedulerMetrics metrics;
  private final StoreHealth health;
  private final ScheduleLeases ownership;
  private final TimingWheel<ScheduleState> wheel;
  private final FireQueue queue;
  private final WorkerExecutor worker;
  private final Planner planner;
  private final Map<Integer, ShardSchedules> shards = new HashMap<>();
  private final List<TimeSource.Timer> timers = new ArrayList<>();
  private int schedules;
  private boolean stopped;
  private final Snapshots snapshots;
  private final Reloads reloads;

  /**
   * A scheduler on {@code pool}, creating executions through {@code launcher}; {@code vertx}
   * lends it a worker thread to plan what it loads.
   */
  public Scheduler(Vertx vertx, Pool pool, Launcher launcher, SchedulerOptions options,
      TimeSource time, PrometheusRegistry registry) {
    this.store = new ScheduleStore(pool);
    this.launcher = launcher;
    this.options = options;
    this.time = time;
    this.queue = new FireQueue(options.maxConcurrentFires());
    this.metrics = new SchedulerMetrics(registry, this::schedules, this::waiting,
        this::snapshotBytes);
    this.health = new StoreHealth(metrics);
    this.wheel = new TimingWheel<>(time, options.tick(), options.wheelBuckets(), this::due);
    this.worker = vertx.createSharedWorkerExecutor("starling-scheduler-planner", 1);
    this.planner = new Planner(worker, time, metrics, options.catchUpGrace());
    this.ownership = new ScheduleLeases(new LeaseTable(pool, time.clock(), LeaseTable.SCHEDULER),
        options, time, metrics, new ShardOwnership.Listener() {
          @Override
          public void owned(List<ShardLease> granted) {
            load(granted);
          }

          @Override
          public void stopping(Set<Integer> stopped) {
            drop(stopped);
          }
        });
    this.snapshots = new Snapshots(store, ownership, time, metrics, health,
        new Snapshots.Source() {
          @Override
          public List<ScheduleStore.ShardSnapshot> take(boolean all, Instant takenAt) {
            return Scheduler.this.take(all, takenAt);
          }

          @Override
          public void unwritten(Collection<ShardLease> leases) {
            markDirty(leases);
          }
        });
    this.reloads = new Reloads(this, store, planner, health, new Reloads.Shards() {
      @Override
      public Map<Integer, ShardSchedules> byShard() {
        return shards;
      }

      @Override
      public void remove(ShardSchedules shard, ScheduleState state) {
        Scheduler.this.remove(shard, state);
      }

      @Override
      public void register(List<ScheduleState> states, Map<Integer, ShardSchedules> planned) {
        Scheduler.this.register(states, planned);
      }

      @Override
      public void pump() {
        Scheduler.this.pump();
      }
    });
  }

  /** Starts the wheel, the polls for changes and the snapshots. */
  public synchronized void start() {
    wheel.start();
    timers.add(time.periodic(options.pollInterval(), reloads::poll));
    timers.add(time.periodic(options.snapshotInterval(), () -> snapshots.write(false)));
  }

  /** The partition table gives this replica {@code assigned}; see {@link ShardOwnership}. */
  public Future<Void> assign(Collection<Integer> assigned) {
    return ownership.assign(assigned);
  }

  public Future<Void> unassign(Collection<Integer> unassigned) {
    return ownership.unassign(unassigned);
  }

  /** Stops firing; writes the owned shards' snapshots, then releases their leases. */
  public Future<Void> stop() {
    synchronized (this) {
      stopped = true;
      timers.forEach(TimeSource.Timer::cancel);
      timers.clear();
      wheel.stop();
    }
    return snapshots.write(true).transform(written -> ownership.stopAll())
        .eventually(() -> worker.close());
  }

  /** The shards whose schedules this replica runs now. */
  public synchronized Set<Integer> owned() {
    return Set.copyOf(shards.keySet());
  }

  private synchronized int schedules() {
    return schedules;
  }

  private synchronized int waiting() {
    return queue.waiting();
  }

  private synchronized long snapshotBytes() {
    return shards.values().stream().mapToLong(shard -> shard.snapshotBytes).sum();
  }

  private void load(List<ShardLease> granted) {
    if (granted.isEmpty() || stopped) {
      return;
    }
    List<Integer> ids = granted.stream().map(ShardLease::shard).toList();
    store.shards(ids).compose(rows -> store.active(ids).compose(active -> planner.plan(active,
        schedule -> rows.containsKey(schedule.shard())
            ? rows.get(schedule.shard()).snapshot().watermark(schedule.rowId()) : null))
        .map(states -> {
          synchronized (this) {
            Map<Integer, ShardSchedules> loaded = new HashMap<>();
            for (ShardLease lease : granted) {
              if (!lease.equals(ownership.lease(lease.shard()))
                  || shards.containsKey(lease.shard())) {
                continue; // stopped while loading
              }
              ScheduleStore.ShardRow row = rows.get(lease.shard());
              ShardSchedules shard = new ShardSchedules(lease, row == null ? 0 : row.changes());
              shards.put(lease.shard(), shard);
              loaded.put(lease.shard(), shard);
            }
            register(states, loaded);
          }
          return null;
        }))
        .onSuccess(done -> {
          health.succeeded();
          pump();
        }).onFailure(e -> {
          health.failed("load", e);
          time.schedule(options.retryDelay(), () -> load(granted.stream()
              .filter(lease -> lease.equals(ownership.lease(lease.shard()))).toList()));
        });
  }

  /**
   * Starts running the planned {@code states} in the shards they were planned for, if those
   * are still the shards here (under the lock).
   */
  private void register(List<ScheduleState> states, Map<Integer, ShardSchedules> planned) {
    Instant now = time.now();
    for (ScheduleState state : states) {
      ShardSchedules shard = planned.get(state.plan.shard());
      if (shard == null || shards.get(state.plan.shard()) != shard
          || shard.byRowId.containsKey(state.plan.rowId())) {
        continue;
      }
      shard.byRowId.put(state.plan.rowId(), state);
      shard.dirty = true;
      schedules++;
      arm(state, now);
    }
  }

  /** Queues the state's next slot if it is due, else puts it in the wheel. */
  private void arm(ScheduleState state, Instant now) {
    if (state.next == null) {
      return;
    }
    if (state.next.isAfter(now)) {
      state.entry = wheel.add(state, state.next);
    } else {
      state.pending = true;
      state.onTime = false;
      queue.add(state);
    }
  }

  private void remove(ShardSchedules shard, ScheduleState state) {
    state.removed = true;
    if (state.entry != null) {
      wheel.cancel(state.entry);
      state.entry = null;
    }
    if (shard.byRowId.remove(state.plan.rowId(), state)) {
      schedules--;
      shard.dirty = true;
    }
  }

  private void due(ScheduleState state) {
    synchronized (this) {
      if (state.removed || state.pending) {
        return;
      }
      state.entry = null;
      state.pending = true;
      state.onTime = true;
      queue.add(state);
    }
    pump();
  }

  /**
   * Launches what the queue lets go. A launch that completes at once is settled after the
   * others are launched, and the loop goes on with what that queued: calling back into here
   * would nest once per queued slot.
   */
  private void pump() {
    while (true) {
      List<ScheduleState> fire = new ArrayList<>();
      synchronized (this) {
        for (ScheduleState state = queue.take(); state != null; state = queue.take()) {
          fire.add(state);
        }
      }
      if (fire.isEmpty()) {
        return;
      }
      List<Runnable> completed = new ArrayList<>();
      for (ScheduleState state : fire) {
        Instant slot = state.next;
        Future<Launcher.Outcome> launched;
        try {
          launched = launcher.launch(state.plan.launchPlan(),
              ExecutionNames.of(state.plan.launchPlan(), slot), slot);
        } catch (RuntimeException e) {
          launched = Future.failedFuture(e);
        }
        if (launched.isComplete()) {
          Future<Launcher.Outcome> result = launched;
          completed.add(() -> settle(state, slot, result));
        } else {
          launched.onComplete(result -> {
            settle(state, slot, result);
            pump();
          });
        }
      }
      completed.forEach(Runnable::run);
    }
  }

  /** Takes in what became of a slot's launch (under the lock); pumps nothing itself. */
  private void settle(ScheduleState state, Instant slot, AsyncResult<Launcher.Outcome> result) {
    Instant now = time.now();
    synchronized (this) {
      queue.done();
      ShardSchedules shard = shards.get(state.plan.shard());
      if (state.removed || shard == null) {
        state.pending = false;
      } else if (result.failed() && result.cause() instanceof Launcher.Refused refused) {
        metrics.fires.labelValues("refused").inc();
        LOG.atError().addKeyValue("launch_plan", Planner.describe(state.plan))
            .addKeyValue("slot", slot)
            .log("schedule stops: its launch plan cannot make the slot's execution: {}",
                refused.getMessage());
        remove(shard, state);
      } else if (result.failed()) {
        metrics.fires.labelValues("failed").inc();
        health.failed("fire", result.cause());
        long delay = Math.min(options.retryDelay().toMillis() << Math.min(state.failures++, 16),
            SchedulerOptions.MAX_RETRY_DELAY.toMillis());
        time.schedule(Duration.ofMillis(delay), () -> retry(state));
      } else if (result.result() == Launcher.Outcome.INACTIVE) {
        metrics.fires.labelValues("inactive").inc();
        LOG.atInfo().addKeyValue("launch_plan", Planner.describe(state.plan))
            .log("launch plan version no longer active: its schedule stops");
        remove(shard, state);
      } else {
        health.succeeded();
        metrics.fires.labelValues(result.result() == Launcher.Outcome.CREATED ? "created"
            : "existed").inc();
        metrics.fireLag.labelValues(state.onTime ? "on_time" : "caught_up")
            .observe(Duration.between(slot, now).toNanos() / 1e9);
        if (!state.onTime) {
          metrics.caughtUp.inc();
        }
        state.failures = 0;
        state.pending = false;
        state.fired = slot;
        state.next = state.slots.next(slot).orElse(null);
        shard.dirty = true;
        arm(state, now);
      }
    }
  }

  private void retry(ScheduleState state) {
    synchronized (this) {
      if (state.removed) {
        state.pending = false;
        return;
      }
      queue.add(state);
    }
    pump();
  }

  private synchronized void drop(Set<Integer> stopped) {
    for (int id : stopped) {
      ShardSchedules shard = shards.remove(id);
      if (shard != null) {
        new ArrayList<>(shard.byRowId.values()).forEach(state -> remove(shard, state));
      }
    }
  }

  private synchronized List<ScheduleStore.ShardSnapshot> take(boolean all, Instant takenAt) {
    List<ScheduleStore.ShardSnapshot> taken = new ArrayList<>();
    for (ShardSchedules shard : shards.values()) {
      if (all || shard.dirty) {
        byte[] bytes = shard.snapshot(takenAt);
        shard.dirty = false;
        shard.snapshotBytes = bytes.length;
        taken.add(new ScheduleStore.ShardSnapshot(shard.lease, shard.changes, bytes));
      }
    }
    return taken;
  }

  private synchronized void markDirty(Collection<ShardLease> unwritten) {
    unwritten.forEach(lease -> {
      ShardSchedules shard = shards.get(lease.shard());
      if (shard != null) {
        shard.dirty = true;
      }
    });
  }
}
