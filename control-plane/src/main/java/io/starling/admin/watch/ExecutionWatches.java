package io.starling.admin.watch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.AdminException;
import io.starling.admin.registry.Ids;
import io.starling.admin.registry.Registry;
import io.starling.admin.store.ExecutionRecord;
import io.starling.admin.store.ExecutionStore;
import io.starling.admin.store.Kind;
import io.starling.admin.store.RegistryStore;
import io.starling.admin.store.WatchStore;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.ExecutionIdentifier;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The watches of executions in this admin process. The admin is stateless and may run on
 * another replica than the propeller, so it learns of changes from PostgreSQL: one
 * {@link ExecutionPoller} per watched execution, shared by all its watch streams, started by the
 * first and stopped when the last one leaves or the execution ends.
 */
public final class ExecutionWatches {

  /** A watch that runs; cancel it when its stream is cancelled. Cancelling twice is harmless. */
  public interface Subscription {
    void cancel();
  }

  private final Vertx vertx;
  private final ExecutionStore executions;
  private final RegistryStore registry;
  private final WatchStore store;
  private final long intervalMillis;
  private final Gauge streams;
  private final Gauge polled;
  private final Counter fellBehind;
  /** Guarded by {@code this}, as are the pollers' subscriber counts. */
  private final Map<Long, ExecutionPoller> pollers = new HashMap<>();

  public ExecutionWatches(Vertx vertx, ExecutionStore executions, RegistryStore registry,
      WatchStore store, Duration pollInterval, PrometheusRegistry metrics) {
    this.vertx = vertx;
    this.executions = executions;
    this.registry = registry;
    this.store = store;
    this.intervalMillis = Math.max(1, pollInterval.toMillis());
    this.streams = Gauge.builder().name("starling_admin_watch_streams")
        .help("WatchExecution streams open").register(metrics);
    this.polled = Gauge.builder().name("starling_admin_watch_executions")
        .help("Executions polled for watch streams").register(metrics);
    this.fellBehind = Counter.builder().name("starling_admin_watch_resyncs_total")
        .help("Times a watch stream's client fell behind and was sent a new snapshot instead of"
            + " the changes it missed").register(metrics);
  }

  /**
   * Starts a watch of {@code id}; {@code subscriber} is called on the current Vert.x context.
   * Fails with INVALID_ARGUMENT or NOT_FOUND before any update.
   */
  public Future<Subscription> watch(ExecutionIdentifier id, WatchSubscriber subscriber) {
    Ids.valid(id, "id");
    Context context = vertx.getOrCreateContext();
    return executions.find(id).map(found -> {
      ExecutionRecord record = found.orElseThrow(() ->
          AdminException.notFound("execution " + Ids.describe(id) + " not found"));
      Subscriber watch = new Subscriber(this, context, subscriber);
      ExecutionPoller poller;
      synchronized (this) {
        poller = pollers.computeIfAbsent(record.rowId(), rowId -> new ExecutionPoller(this, rowId,
            Ids.describe(id), () -> nodeCount(record.workflowRowId()), context, store,
            intervalMillis));
        poller.subscriberCount++;
        watch.poller = poller;
        polled.set(pollers.size());
      }
      streams.inc();
      poller.add(watch);
      return watch;
    });
  }

  void cancelled(Subscriber watch) {
    ExecutionPoller poller = watch.poller;
    boolean last;
    synchronized (this) {
      last = --poller.subscriberCount == 0 && pollers.remove(poller.executionRowId, poller);
      polled.set(pollers.size());
    }
    poller.remove(watch);
    if (last) {
      poller.stop();
    }
  }

  void finished(ExecutionPoller poller) {
    synchronized (this) {
      pollers.remove(poller.executionRowId, poller);
      polled.set(pollers.size());
    }
  }

  void fellBehind() {
    fellBehind.inc();
  }

  void streamClosed() {
    streams.dec();
  }

  private Future<Integer> nodeCount(long workflowRowId) {
    return registry.byRowId(Kind.WORKFLOW, workflowRowId).map(workflow ->
        Registry.parse(CompiledWorkflowClosure.parser(), workflow.closure())
            .getTemplate().getNodesCount());
  }
}
