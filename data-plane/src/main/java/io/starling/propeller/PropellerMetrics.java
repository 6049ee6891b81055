package io.starling.propeller;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.propeller.queue.ExecutionSlot;
import io.starling.propeller.queue.WorkQueue;
import io.starling.time.TimeSource;
import java.util.Collection;
import java.util.function.IntSupplier;

/** The propeller's metrics, registered once per propeller. */
final class PropellerMetrics {

  final Gauge freeWorkers;
  final Histogram roundSeconds;
  final Counter nodeTransitions;
  final Counter executionsFinished;
  final Counter cacheResults;
  final Counter storeFailures;
  final Counter shardsLost;
  final Histogram shardTakeoverSeconds;

  private final PrometheusRegistry registry;

  /** @param running the executions this replica runs (a live view) */
  PropellerMetrics(PrometheusRegistry registry, WorkQueue queue,
      Collection<ExecutionSlot> running, TimeSource time) {
    this.registry = registry;
    freeWorkers = Gauge.builder()
        .name("starling_propeller_free_workers")
        .help("Workers waiting for an execution to evaluate")
        .register(registry);
    roundSeconds = Histogram.builder()
        .name("starling_propeller_round_seconds")
        .help("Time a worker spends deciding one round of one execution")
        .classicExponentialUpperBounds(0.00001, 4, 10)
        .register(registry);
    nodeTransitions = Counter.builder()
        .name("starling_propeller_node_transitions_total")
        .help("Node phase changes written, by the phase entered")
        .labelNames("phase")
        .register(registry);
    executionsFinished = Counter.builder()
        .name("starling_propeller_executions_finished_total")
        .help("Executions that reached a terminal phase, by phase")
        .labelNames("phase")
        .register(registry);
    cacheResults = Counter.builder()
        .name("starling_propeller_task_cache_total")
        .help("Attempts of cached tasks that succeeded, by where their outputs came from")
        .labelNames("status")
        .register(registry);
    storeFailures = Counter.builder()
        .name("starling_propeller_store_failures_total")
        .help("Calls to the database that failed (not refusals), by operation; retried")
        .labelNames("operation")
        .register(registry);
    for (String operation : new String[] {"scan", "load", "write", "renew"}) {
      storeFailures.labelValues(operation); // at zero, so rates see them before a failure
    }
    shardTakeoverSeconds = Histogram.builder()
        .name("starling_propeller_shard_takeover_seconds")
        .help("Time from a shard assigned here (its partition came to this member) to its"
            + " non-terminal executions loaded: the propeller's part of a handover")
        .classicExponentialUpperBounds(0.001, 2, 16)
        .register(registry);
    shardsLost = Counter.builder()
        .name("starling_propeller_shards_lost_total")
        .help("Shards stopped because a write was fenced: another replica holds a higher epoch")
        .register(registry);
    CounterWithCallback.builder()
        .name("starling_propeller_queue_throttled_seconds_total")
        .help("Time workers waited for the round rate limit (propeller.max-rounds-per-second)")
        .callback(callback -> callback.call(queue.throttledSeconds()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("starling_propeller_queue_depth")
        .help("Executions waiting for a worker")
        .callback(callback -> callback.call(queue.depth()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("starling_propeller_oldest_round_seconds")
        .help("Seconds since the least recent round among the executions this replica runs:"
            + " above 3 x propeller.reevaluation-interval, some execution is not being driven")
        .callback(callback -> callback.call(oldestRoundSeconds(running, time.millis())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("starling_propeller_executions_in_memory")
        .help("Executions this replica is running")
        .callback(callback -> callback.call(running.size()))
        .register(registry);
  }

  /** Seconds since the least recent round among {@code running}; 0 when none has had one. */
  private static double oldestRoundSeconds(Collection<ExecutionSlot> running, long nowMillis) {
    long oldest = nowMillis;
    for (ExecutionSlot slot : running) {
      long at = slot.roundAt();
      if (at > 0 && at < oldest) {
        oldest = at;
      }
    }
    return (nowMillis - oldest) / 1000.0;
  }

  /** Registers the gauge of the shards this replica owns, read from {@code owned}. */
  void ownedShards(IntSupplier owned) {
    GaugeWithCallback.builder()
        .name("starling_propeller_owned_shards")
        .help("Shards this replica owns (holds the current lease of) now")
        .callback(callback -> callback.call(owned.getAsInt()))
        .register(registry);
  }
}
