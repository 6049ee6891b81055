package io.starling.propeller.plugin.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.propeller.plugin.Errors;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.worker.AttemptSpec;
import io.starling.proto.worker.Report;
import io.starling.proto.worker.TaskFailure;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks of type {@code worker} on the SDKs' workers: each attempt becomes a row of
 * {@code worker_tasks} on the task's queue, which a worker connected to any replica leases
 * ({@link WorkerSessions}); its end (a report, or a lease not kept) comes back as a notice
 * ({@link #ended}) routed to this replica, or is found by polling every
 * {@code plugins.worker.poll-interval}, and the row is taken in.
 *
 * <p>The row outlives the replica, so the plugin {@link #reattaches}: the next owner of the
 * shard starts the same attempt again and finds the row, queued, leased, or done meanwhile.
 * Aborting an attempt deletes its row; its worker's heartbeat then hears it is superseded.
 */
public final class WorkerPlugin implements TaskPlugin {

  public static final String TYPE = "worker";
  /** The queue of a worker task that names none. */
  public static final String DEFAULT_QUEUE = "default";

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPlugin.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final TimeSource time;
  private final WorkerTaskStore store;
  private final Runnable queued;
  private final Map<String, Waiter> byKey = new ConcurrentHashMap<>();
  private final Map<Long, Waiter> byId = new ConcurrentHashMap<>();
  private final Batcher<Waiter> enqueues;
  private final Batcher<Long> takes;
  private final Batcher<Long> deletes;
  private final Counter attempts;
  private final TimeSource.Timer poll;

  /** One attempt waited for; {@code id} is 0 until its row is placed. */
  private static final class Waiter {
    final TaskAttempt attempt;
    final Consumer<TaskResult> done;
    final WorkerTaskStore.Queued queued;
    long id;
    boolean gone;
    boolean aborted;

    Waiter(TaskAttempt attempt, Consumer<TaskResult> done, WorkerTaskStore.Queued queued) {
      this.attempt = attempt;
      this.done = done;
      this.queued = queued;
    }
  }

  /**
   * @param queued told when attempts were queued, so this replica's own workers are offered
   *     them at once
   */
  public WorkerPlugin(TimeSource time, WorkerTaskStore store, WorkerOptions options,
      Runnable queued, PrometheusRegistry registry) {
    this.time = time;
    this.store = store;
    this.queued = queued;
    this.enqueues = new Batcher<>(options.maxBatch(), this::enqueue);
    this.takes = new Batcher<>(options.maxBatch(), this::take);
    this.deletes = new Batcher<>(options.maxBatch(),
        ids -> store.delete(ids.toArray(new Long[0])).onFailure(e -> LOG.atDebug()
            .log("cannot delete {} aborted worker attempts: {}", ids.size(), e.toString())));
    this.attempts = Counter.builder()
        .name("starling_worker_attempts_total")
        .help("Attempts of worker tasks by what became of them: queued, succeeded, failed"
            + " (the task's error), expired (the worker's lease was not kept), aborted")
        .labelNames("outcome")
        .register(registry);
    this.poll = time.periodic(options.pollInterval(), this::pollAll);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean reattaches() {
    return true;
  }

  /**
   * The key of a queue in {@code worker_tasks}: {@code project/domain/name}, {@code name} the
   * task's queue ({@link #DEFAULT_QUEUE} when empty). Attempts are queued and leased by it.
   */
  static String queue(String project, String domain, String name) {
    return project + "/" + domain + "/" + (name.isEmpty() ? DEFAULT_QUEUE : name);
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    byte[] spec = AttemptSpec.newBuilder()
        .setTaskId(attempt.taskId())
        .setTask(attempt.task())
        .setInputs(attempt.inputs())
        .setExecutionName(attempt.executionName())
        .setNodeId(attempt.nodeId())
        .setSubtask(attempt.subtask())
        .setAttempt(attempt.attempt())
        .build().toByteArray();
    Waiter waiter = new Waiter(attempt, done, new WorkerTaskStore.Queued(attempt.key(),
        attempt.executionId(), queue(attempt.taskId().getProject(),
        attempt.taskId().getDomain(), attempt.task().getQueue()), spec));
    byKey.put(attempt.key(), waiter);
    enqueues.add(waiter);
  }

  private Future<?> enqueue(List<Waiter> batch) {
    List<WorkerTaskStore.Queued> rows = new ArrayList<>(batch.size());
    Map<String, Waiter> inBatch = new HashMap<>();
    for (Waiter waiter : batch) {
      rows.add(waiter.queued);
      inBatch.put(waiter.queued.key(), waiter);
    }
    return store.enqueue(rows).onSuccess(placed -> {
      for (WorkerTaskStore.Placed row : placed) {
        Waiter waiter = inBatch.get(row.key());
        if (waiter != null) {
          placed(waiter, row.id());
        }
      }
      attempts.labelValues("queued").inc(placed.size());
      queued.run();
    }).onFailure(e -> {
      LOG.atWarn().log("cannot queue {} worker attempts, trying again in {}: {}", batch.size(),
          RETRY, e.toString());
      time.schedule(RETRY, () -> enqueues.addAll(batch.stream()
          .filter(waiter -> byKey.get(waiter.attempt.key()) == waiter).toList()));
    });
  }

  private void placed(Waiter waiter, long id) {
    boolean deleteRow;
    synchronized (waiter) {
      waiter.id = id;
      deleteRow = waiter.aborted;
      if (!waiter.gone) {
        byId.put(id, waiter);
      }
    }
    if (deleteRow) {
      deletes.add(id);
    }
  }

  @Override
  public void abort(TaskAttempt attempt) {
    forget(attempt, true);
  }

  @Override
  public void detach(TaskAttempt attempt) {
    forget(attempt, false);
  }

  private void forget(TaskAttempt attempt, boolean abort) {
    Waiter waiter = byKey.remove(attempt.key());
    if (waiter == null) {
      return;
    }
    long id;
    synchronized (waiter) {
      waiter.gone = true;
      waiter.aborted = abort;
      id = waiter.id;
    }
    if (id != 0) {
      byId.remove(id, waiter);
      if (abort) {
        deletes.add(id);
      }
    }
    if (abort) {
      attempts.labelValues("aborted").inc();
    }
  }

  /**
   * A worker reported, or its lease expired, for the attempt of row {@code id}: takes it in if
   * this replica waits for it. False when it does not (the notice goes elsewhere, or comes
   * again when this replica has placed the attempt).
   */
  public boolean ended(long id) {
    if (!byId.containsKey(id)) {
      return false;
    }
    takes.add(id);
    return true;
  }

  private void pollAll() {
    if (!byId.isEmpty()) {
      takes.addAll(new ArrayList<>(byId.keySet()));
    }
  }

  private Future<?> take(List<Long> ids) {
    return store.take(ids.toArray(new Long[0])).onSuccess(taken -> {
      for (WorkerTaskStore.Taken row : taken) {
        Waiter waiter = byId.remove(row.id());
        if (waiter == null || !byKey.remove(waiter.attempt.key(), waiter)) {
          continue;
        }
        TaskResult result = result(waiter.attempt, row);
        attempts.labelValues(row.expired() ? "expired"
            : result instanceof TaskResult.Succeeded ? "succeeded" : "failed").inc();
        waiter.done.accept(result);
      }
    }).onFailure(e -> LOG.atDebug().log("cannot take in {} worker attempts: {}", ids.size(),
        e.toString()));
  }

  private static TaskResult result(TaskAttempt attempt, WorkerTaskStore.Taken row) {
    if (row.expired()) {
      return new TaskResult.Failed(Errors.leaseExpired(attempt.attempt()));
    }
    Report report;
    try {
      report = Report.parseFrom(row.result());
    } catch (InvalidProtocolBufferException e) {
      return TaskResult.systemError("WorkerReport", "the worker's report does not parse: "
          + e.getMessage());
    }
    if (report.hasFailure()) {
      return new TaskResult.Failed(error(report.getFailure()));
    }
    return TaskResult.succeeded(report.getOutputs());
  }

  private static ExecutionError error(TaskFailure failure) {
    String message = failure.getMessage();
    if (!failure.getTraceback().isEmpty()) {
      message = message + "\n" + failure.getTraceback();
    }
    return Errors.user(failure.getCode().isEmpty() ? "TaskFailed" : failure.getCode(), message)
        .toBuilder().setNonRetryable(!failure.getRetryable()).build();
  }

  @Override
  public void close() {
    poll.cancel();
  }
}
