package io.starling.propeller;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.NodeExecution;
import io.starling.propeller.attempt.AttemptLauncher;
import io.starling.propeller.attempt.LiveAttempts;
import io.starling.propeller.cache.TaskCache;
import io.starling.ownership.ShardLease;
import io.starling.ownership.ShardOwnership;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.queue.ExecutionSlot;
import io.starling.propeller.queue.WorkQueue;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.Round;
import io.starling.propeller.round.RoundResult;
import io.starling.propeller.round.Rows;
import io.starling.propeller.round.TaskEvent;
import io.starling.propeller.store.ActiveExecution;
import io.starling.propeller.store.PropellerStore;
import io.starling.propeller.store.ShardLostException;
import io.starling.propeller.store.StaleStateException;
import io.starling.schema.DatabaseHealth;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow engine of one replica. It runs the executions of the shards it owns
 * ({@link ShardOwnership}): a de-duplicated {@link WorkQueue} of executions feeds
 * {@code workers} threads; each takes one execution and runs one {@link Round}; the round's
 * rows go to the {@link PropellerStore}, which group-commits them; once committed, tasks are
 * started or aborted through their plugins ({@link AttemptLauncher}), whose results come back
 * as events that queue the execution again.
 *
 * <p>Executions reach the queue four ways: a notification from the admin
 * ({@link #executionCreated}), a scan of the owned shards (when a shard becomes owned, which
 * resumes everything in it, and periodically), task events and timers (timeouts, retries) of
 * executions already running, and the re-evaluation interval: a running execution gets a round
 * at least that often even when nothing told it to. The queue hands out rounds at a bounded
 * rate.
 *
 * <p>A write that fails leaves the execution to be reloaded, and what failed decides the rest:
 * a fenced write ({@link ShardLostException}) stops the shard, dropping every execution of it;
 * any other failure (the database away, a version that moved) keeps the shard and retries the
 * execution later. The events the failed round took are carried over to the next round and the
 * attempts that still run are kept ({@link LiveAttempts}), so no result is lost and no attempt
 * starts twice in this process.
 */
public final class Propeller {

  private static final Logger LOG = LoggerFactory.getLogger(Propeller.class);
  /** How long stopping waits for the leases of the shards it lets go to be released. */
  private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

  private final PropellerOptions options;
  private final TaskPlugins plugins;
  private final TimeSource time;
  private final PropellerStore store;
  private final ShardKeeper shards;
  private final WorkQueue queue;
  private final Map<Long, ExecutionSlot> slots = new ConcurrentHashMap<>();
  private final PropellerMetrics metrics;
  private final DatabaseHealth health;
  private final AttemptLauncher attempts;
  private final List<Thread> workers = new ArrayList<>();
  private final List<ExecutionObserver> observers = new CopyOnWriteArrayList<>();
  private volatile boolean running;

  private Propeller(PropellerStore store, PropellerOptions options, TaskPlugins plugins,
      TimeSource time, PrometheusRegistry registry) {
    this.options = options;
    this.plugins = plugins;
    this.time = time;
    this.store = store;
    this.queue = new WorkQueue(options.maxRoundsPerSecond(), time);
    this.metrics = new PropellerMetrics(registry, queue, slots.values(), time);
    this.health = new DatabaseHealth("propeller",
        operation -> metrics.storeFailures.labelValues(operation).inc());
    this.shards = new ShardKeeper(store, options, time, health, metrics, this::found,
        this::dropShards);
    this.attempts = new AttemptLauncher(plugins, new TaskCache(store), time,
        status -> metrics.cacheResults.labelValues(status.name()).inc());
  }

  /** A propeller that owns no shard yet; {@link #start} it, then {@link #assign} shards. */
  public static Propeller create(PropellerStore store, PropellerOptions options,
      TaskPlugins plugins, TimeSource time, PrometheusRegistry registry) {
    return new Propeller(store, options, plugins, time, registry);
  }

  /** Starts the workers and the periodic scan of owned shards. */
  public void start() {
    running = true;
    for (int i = 0; i < options.workers(); i++) {
      Thread worker = new Thread(this::work, "propeller-worker-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    shards.start();
    LOG.atInfo().addKeyValue("workers", options.workers()).log("propeller started");
  }

  /**
   * Takes {@code shards} over (bumping their epochs, which fences any previous owner) and
   * resumes every non-terminal execution in them; completes once they are owned.
   */
  public Future<Void> assign(Collection<Integer> shards) {
    return this.shards.assign(shards);
  }

  /** Stops running {@code shards}: their executions are dropped here. */
  public void unassign(Collection<Integer> shards) {
    this.shards.unassign(shards);
  }

  /** The shards this replica owns, and their states. */
  public ShardOwnership ownership() {
    return shards.ownership();
  }

  /**
   * Stops the workers and every shard, then the plugins: attempts of plugins that reattach are
   * left to the next owner, others are aborted.
   */
  public void stop() {
    running = false;
    workers.forEach(Thread::interrupt);
    for (Thread worker : workers) {
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      shards.stop().await(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.atWarn().log("leases not released in {} (they expire instead): {}", RELEASE_WAIT,
          e.toString());
    }
    plugins.close();
  }

  /** Adds an observer of executions that finish on this replica. */
  public void addObserver(ExecutionObserver observer) {
    observers.add(observer);
  }

  /**
   * The admin committed a new execution; false when this propeller holds no lease of its shard
   * (the shard's owner finds it by scanning).
   */
  public boolean executionCreated(long executionId, int shard) {
    return notified(executionId, shard, false);
  }

  /** The admin recorded a request to terminate an execution; false as for a creation. */
  public boolean abortRequested(long executionId, int shard) {
    return notified(executionId, shard, true);
  }

  private boolean notified(long executionId, int shard, boolean abort) {
    if (shards.ownership().lease(shard) == null) {
      return false;
    }
    ExecutionSlot slot = slots.computeIfAbsent(executionId, id -> new ExecutionSlot(id, shard));
    if (abort) {
      slot.requestAbort();
    }
    queue.enqueue(slot);
    return true;
  }

  /** A scan found {@code execution}, non-terminal, in an owned shard. */
  private void found(ActiveExecution execution) {
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
      List<TaskEvent> events = List.of();
      try {
        events = slot.drainEvents();
        evaluate(slot, events);
      } catch (RuntimeException e) {
        LOG.atError().addKeyValue("execution", slot.name()).setCause(e)
            .log("round failed; the execution is reloaded");
        slot.carryOver(events);
        slot.state(null);
        retryLater(slot);
      }
    }
  }

  private void evaluate(ExecutionSlot slot, List<TaskEvent> events) {
    if (slot.isDropped()) {
      queue.finish(slot);
      return;
    }
    ShardLease lease = shards.ownership().lease(slot.shard());
    if (lease == null) {
      drop(slot);
      queue.finish(slot);
      return;
    }
    ExecutionState state = slot.state();
    if (state == null) {
      slot.carryOver(events);
      load(slot);
      return;
    }
    if (!state.isInitialized()) {
      if (state.isTerminal()) {
        // It ended in a round whose commit was reported as failed, or on another replica.
        observers.forEach(observer -> observer.finished(state.id(), state.phase()));
        drop(slot);
        queue.finish(slot);
        return;
      }
      state.initialize(attempts.inFlight(slot.attempts()));
    }
    if (slot.abortRequested()) {
      state.requestAbort();
    }
    RoundResult result;
    try (var timer = metrics.roundSeconds.startTimer()) {
      result = Round.run(state, events, time.now(), options.maxMapItems());
    }
    slot.roundAt(time.millis());
    if (result.changedNothing()) {
      slot.attempts().settled(events);
      finishRound(slot, result);
      return;
    }
    store.write(lease, result).onComplete(write -> {
      if (slot.isDropped()) {
        queue.finish(slot); // the shard stopped meanwhile: its next owner decides what runs
        return;
      }
      if (write.succeeded()) {
        health.succeeded();
        state.committed();
        slot.attempts().settled(events);
        record(state, result);
        applyEffects(slot, state, result);
        finishRound(slot, result);
        return;
      }
      slot.carryOver(events);
      slot.state(null);
      if (write.cause() instanceof ShardLostException lost) {
        shards.lost(lost.lease(), state.name());
        queue.finish(slot);
      } else {
        if (write.cause() instanceof StaleStateException) {
          LOG.atWarn().addKeyValue("execution", state.name())
              .log("round refused ({}); reloading", write.cause().getMessage());
        } else {
          health.failed("write", write.cause());
        }
        retryLater(slot);
      }
    });
  }

  private void load(ExecutionSlot slot) {
    store.load(slot.executionId()).onComplete(loaded -> {
      if (slot.isDropped()) {
        queue.finish(slot);
      } else if (loaded.succeeded()) {
        health.succeeded();
        slot.state(loaded.result());
        queue.enqueue(slot);
        queue.finish(slot);
      } else if (loaded.cause() instanceof NoSuchElementException) {
        drop(slot);
        queue.finish(slot);
      } else {
        health.failed("load", loaded.cause());
        retryLater(slot);
      }
    });
  }

  /** The slot's execution leaves this replica: no more rounds, its attempts let go. */
  private void drop(ExecutionSlot slot) {
    slots.remove(slot.executionId(), slot);
    attempts.detachAll(slot.drop());
  }

  private void dropShards(Set<Integer> shards) {
    int dropped = 0;
    for (ExecutionSlot slot : slots.values()) {
      if (shards.contains(slot.shard())) {
        drop(slot);
        dropped++;
      }
    }
    LOG.atDebug().addKeyValue("shards", shards.size()).addKeyValue("executions", dropped)
        .log("executions of stopped shards dropped");
  }

  private void finishRound(ExecutionSlot slot, RoundResult result) {
    ExecutionState state = slot.state();
    if (state.isTerminal()) {
      drop(slot);
    } else {
      long now = time.millis();
      long wakeAt = now + options.reevaluationInterval().toMillis();
      if (result.wakeAtMillis() > 0) {
        wakeAt = Math.min(wakeAt, result.wakeAtMillis());
      }
      if (wakeAt <= now) {
        queue.enqueue(slot); // more is ready than one round starts: the next round follows
      } else if (slot.wakeAt(wakeAt, now)) {
        later(slot, Duration.ofMillis(wakeAt - now));
      }
    }
    queue.finish(slot);
  }

  private void retryLater(ExecutionSlot slot) {
    queue.finish(slot);
    later(slot, options.retryDelay());
  }

  private void later(ExecutionSlot slot, Duration delay) {
    time.schedule(delay, () -> {
      if (running && !slot.isDropped()) {
        queue.enqueue(slot);
      }
    });
  }

  private void applyEffects(ExecutionSlot slot, ExecutionState state, RoundResult result) {
    LiveAttempts live = slot.attempts();
    for (TaskAttempt attempt : result.aborts()) {
      attempts.abort(live, state.nodeIndex(attempt.nodeId()), attempt);
    }
    for (TaskAttempt attempt : result.starts()) {
      attempts.start(live, state.nodeIndex(attempt.nodeId()), attempt, event -> {
        slot.addEvent(event);
        queue.enqueue(slot);
      });
    }
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
