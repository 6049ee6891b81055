package io.starling.propeller;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.CacheStatus;
import io.starling.proto.core.NodeExecution;
import io.starling.propeller.cache.TaskCache;
import io.starling.propeller.ownership.ShardLease;
import io.starling.propeller.ownership.ShardLeaseStore;
import io.starling.propeller.ownership.ShardLeases;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.TaskResult;
import io.starling.propeller.queue.ExecutionSlot;
import io.starling.propeller.queue.WorkQueue;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.Round;
import io.starling.propeller.round.RoundResult;
import io.starling.propeller.round.Rows;
import io.starling.propeller.round.TaskEvent;
import io.starling.propeller.store.ActiveExecution;
import io.starling.propeller.store.ExecutionLoader;
import io.starling.propeller.store.StaleStateException;
import io.starling.propeller.store.StateWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow engine of one replica. It runs the executions of the shards it holds leases
 * for: a de-duplicated {@link WorkQueue} of executions feeds {@code workers} threads; each
 * takes one execution and runs one {@link Round}; the round's rows go to the group-committing
 * {@link StateWriter}; once committed, tasks are started or aborted through their plugins,
 * whose results come back as events that queue the execution again.
 *
 * <p>Executions reach the queue four ways: a notification from the admin
 * ({@link #executionCreated}), a periodic scan of the owned shards (which also resumes
 * everything after a restart), task events and timers (timeouts, retries) of executions
 * already running, and the re-evaluation interval: a running execution gets a round at least
 * that often even when nothing told it to. The queue hands out rounds at a bounded rate.
 */
public final class Propeller {

  private static final Logger LOG = LoggerFactory.getLogger(Propeller.class);

  private final Vertx vertx;
  private final PropellerOptions options;
  private final TaskPlugins plugins;
  private final Clock clock;
  private final ShardLeases leases = new ShardLeases();
  private final ShardLeaseStore leaseStore;
  private final ExecutionLoader loader;
  private final StateWriter writer;
  private final WorkQueue queue;
  private final Map<Long, ExecutionSlot> slots = new ConcurrentHashMap<>();
  private final PropellerMetrics metrics;
  private final TaskCache cache;
  private final List<Thread> workers = new ArrayList<>();
  private final List<ExecutionObserver> observers = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private long scanTimer = -1;

  private Propeller(
      Vertx vertx,
      Pool pool,
      PropellerOptions options,
      TaskPlugins plugins,
      Clock clock,
      PrometheusRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.plugins = plugins;
    this.clock = clock;
    this.leaseStore = new ShardLeaseStore(pool, clock);
    this.loader = new ExecutionLoader(pool, options.graphCacheSize());
    this.cache = new TaskCache(pool, clock);
    this.queue = new WorkQueue(options.maxRoundsPerSecond());
    this.metrics = new PropellerMetrics(registry, queue, slots::size);
    this.writer = new StateWriter(pool, options.maxBatchRows(), options.maxConcurrentWrites(),
        metrics.writeBatchRows::observe);
  }

  public static Propeller create(
      Vertx vertx,
      Pool pool,
      PropellerOptions options,
      TaskPlugins plugins,
      Clock clock,
      PrometheusRegistry registry) {
    return new Propeller(vertx, pool, options, plugins, clock, registry);
  }

  /**
   * Takes {@code shards} over (bumping their epochs, which fences any previous owner), resumes
   * every non-terminal execution in them and starts the workers.
   */
  public Future<Void> start(Collection<Integer> shards) {
    return leaseStore.acquire(shards, options.replicaId()).compose(granted -> {
      leases.granted(granted);
      running = true;
      for (int i = 0; i < options.workers(); i++) {
        Thread worker = new Thread(this::work, "propeller-worker-" + i);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
      scanTimer = vertx.setPeriodic(options.scanInterval().toMillis(), id -> scan());
      LOG.atInfo().addKeyValue("shards", granted.size()).addKeyValue("workers", options.workers())
          .log("propeller started");
      return scan();
    });
  }

  /** Stops the workers; running tasks are left to their plugins. */
  public void stop() {
    running = false;
    vertx.cancelTimer(scanTimer);
    workers.forEach(Thread::interrupt);
    for (Thread worker : workers) {
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Adds an observer of executions that finish on this replica. */
  public void addObserver(ExecutionObserver observer) {
    observers.add(observer);
  }

  /** The admin committed a new execution. */
  public void executionCreated(long executionId, int shard) {
    if (leases.lease(shard) != null) {
      queue.enqueue(slots.computeIfAbsent(executionId, id -> new ExecutionSlot(id, shard)));
    }
  }

  /** The admin recorded a request to terminate an execution. */
  public void abortRequested(long executionId, int shard) {
    if (leases.lease(shard) != null) {
      ExecutionSlot slot = slots.computeIfAbsent(executionId, id -> new ExecutionSlot(id, shard));
      slot.requestAbort();
      queue.enqueue(slot);
    }
  }

  private Future<Void> scan() {
    return loader.active(leases.shards()).onSuccess(active -> {
      for (ActiveExecution execution : active) {
        boolean[] isNew = {false};
        ExecutionSlot slot = slots.computeIfAbsent(execution.id(), id -> {
          isNew[0] = true;
          return new ExecutionSlot(id, execution.shard());
        });
        if (execution.abortRequested() && !slot.abortRequested()) {
          slot.requestAbort();
          queue.enqueue(slot);
        } else if (isNew[0]) {
          queue.enqueue(slot);
        }
      }
    }).onFailure(e -> LOG.warn("scan of owned shards failed: {}", e.getMessage())).mapEmpty();
  }

  private void work() {
    while (running) {
      ExecutionSlot slot;
      try {
        metrics.freeWorkers.inc();
        slot = queue.take();
      } catch (InterruptedException e) {
        return;
      } finally {
        metrics.freeWorkers.dec();
      }
      try {
        evaluate(slot);
      } catch (RuntimeException e) {
        LOG.atError().addKeyValue("execution", slot.executionId()).setCause(e)
            .log("round failed; the execution is reloaded");
        slot.state(null);
        retryLater(slot);
      }
    }
  }

  private void evaluate(ExecutionSlot slot) {
    ShardLease lease = leases.lease(slot.shard());
    if (lease == null) {
      slots.remove(slot.executionId());
      return;
    }
    ExecutionState state = slot.state();
    if (state == null) {
      load(slot);
      return;
    }
    List<TaskEvent> events = slot.drainEvents();
    if (slot.abortRequested()) {
      state.requestAbort();
    }
    RoundResult result;
    try (var timer = metrics.roundSeconds.startTimer()) {
      result = Round.run(state, events, clock.instant());
    }
    if (result.changedNothing()) {
      finishRound(slot, result);
      return;
    }
    writer.write(lease, result).onComplete(write -> {
      if (write.succeeded()) {
        state.committed();
        record(state, result);
        applyEffects(slot, result);
        finishRound(slot, result);
      } else {
        if (write.cause() instanceof StaleStateException) {
          LOG.atWarn().addKeyValue("execution", state.name())
              .log("round refused ({}); reloading", write.cause().getMessage());
        } else {
          LOG.atWarn().addKeyValue("execution", state.name())
              .log("round not written ({}); retrying", write.cause().toString());
        }
        slot.state(null);
        retryLater(slot);
      }
    });
  }

  private void load(ExecutionSlot slot) {
    loader.load(slot.executionId()).onComplete(loaded -> {
      if (loaded.succeeded()) {
        slot.state(loaded.result());
        queue.enqueue(slot);
        queue.finish(slot);
      } else if (loaded.cause() instanceof NoSuchElementException) {
        slots.remove(slot.executionId());
        queue.finish(slot);
      } else {
        LOG.atWarn().addKeyValue("execution", slot.executionId())
            .log("cannot load execution: {}", loaded.cause().toString());
        retryLater(slot);
      }
    });
  }

  private void finishRound(ExecutionSlot slot, RoundResult result) {
    ExecutionState state = slot.state();
    if (state.isTerminal()) {
      slots.remove(slot.executionId());
    } else {
      long now = clock.millis();
      long wakeAt = now + options.reevaluationInterval().toMillis();
      if (result.wakeAtMillis() > 0) {
        wakeAt = Math.min(wakeAt, result.wakeAtMillis());
      }
      if (slot.wakeAt(wakeAt, now)) {
        vertx.setTimer(Math.max(1, wakeAt - now), id -> {
          if (running) {
            queue.enqueue(slot);
          }
        });
      }
    }
    queue.finish(slot);
  }

  private void retryLater(ExecutionSlot slot) {
    queue.finish(slot);
    vertx.setTimer(options.retryDelay().toMillis(), id -> {
      if (running) {
        queue.enqueue(slot);
      }
    });
  }

  private void applyEffects(ExecutionSlot slot, RoundResult result) {
    for (TaskAttempt attempt : result.aborts()) {
      plugins.forType(attempt.task().getType()).ifPresent(plugin -> plugin.abort(attempt));
    }
    for (TaskAttempt attempt : result.starts()) {
      int node = slot.state().nodeIndex(attempt.nodeId());
      TaskPlugin plugin = plugins.forType(attempt.task().getType()).orElse(null);
      if (plugin == null) {
        report(slot, node, attempt, TaskResult.userError("UnknownTaskType",
            "no plugin runs tasks of type '" + attempt.task().getType() + "'"));
        continue;
      }
      Consumer<TaskResult> done = outcome -> report(slot, node, attempt, outcome);
      if (TaskCache.caches(attempt)) {
        cache.run(attempt, callback -> start(plugin, attempt, callback), done);
      } else {
        start(plugin, attempt, done);
      }
    }
  }

  private static void start(TaskPlugin plugin, TaskAttempt attempt, Consumer<TaskResult> done) {
    try {
      plugin.start(attempt, done);
    } catch (RuntimeException e) {
      done.accept(TaskResult.systemError("PluginError", plugin.type() + ": " + e.getMessage()));
    }
  }

  private void report(ExecutionSlot slot, int node, TaskAttempt attempt, TaskResult outcome) {
    if (outcome instanceof TaskResult.Succeeded success
        && success.cacheStatus() != CacheStatus.CACHE_DISABLED) {
      metrics.cacheResults.labelValues(success.cacheStatus().name()).inc();
    }
    slot.addEvent(new TaskEvent(node, attempt.subtask(), attempt.attempt(), outcome));
    queue.enqueue(slot);
  }

  private void record(ExecutionState state, RoundResult result) {
    for (Rows.NodeRow row : result.nodes()) {
      metrics.nodeTransitions.labelValues(NodeExecution.Phase.forNumber(row.phase()).name()).inc();
    }
    if (state.isTerminal()) {
      metrics.executionsFinished.labelValues(state.phase().name()).inc();
      observers.forEach(observer -> observer.finished(state.id(), state.phase()));
      if (result.execution().error() != null) {
        LOG.atInfo().addKeyValue("execution", state.name()).addKeyValue("phase", state.phase())
            .log("execution failed: {}", result.execution().error().getMessage());
      } else {
        LOG.atDebug().addKeyValue("execution", state.name()).addKeyValue("phase", state.phase())
            .log("execution finished");
      }
    }
  }
}
