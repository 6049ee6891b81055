package io.starling.scheduler;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The scheduler's metrics, registered once per scheduler. */
final class SchedulerMetrics {

  final Histogram fireLag;
  final Counter fires;
  final Counter caughtUp;
  final Counter skipped;
  final Histogram snapshotSeconds;
  final Counter shardsLost;
  final Counter storeFailures;

  SchedulerMetrics(PrometheusRegistry registry, IntSupplier schedules, IntSupplier waiting,
      LongSupplier snapshotBytes) {
    fireLag = Histogram.builder()
        .name("starling_scheduler_fire_lag_seconds")
        .help("From a slot's time to its execution created, by whether the slot fired on time"
            + " (from the wheel) or was caught up after a takeover or a restart")
        .labelNames("kind")
        .classicExponentialUpperBounds(0.001, 2, 22)
        .register(registry);
    fires = Counter.builder()
        .name("starling_scheduler_fires_total")
        .help("Slots fired, by outcome: created, existed (fired before), inactive (the version"
            + " was deactivated), refused (the launch plan cannot make the execution; the"
            + " schedule stops), failed (tried again)")
        .labelNames("outcome")
        .register(registry);
    caughtUp = Counter.builder()
        .name("starling_scheduler_caught_up_total")
        .help("Missed slots fired late, after a takeover or a restart")
        .register(registry);
    skipped = Counter.builder()
        .name("starling_scheduler_skipped_total")
        .help("Missed slots not fired, by reason: policy (catch_up LATEST or NONE), window"
            + " (older than catch_up_window)")
        .labelNames("reason")
        .register(registry);
    snapshotSeconds = Histogram.builder()
        .name("starling_scheduler_snapshot_seconds")
        .help("Time to encode and write the snapshots of the owned shards")
        .classicExponentialUpperBounds(0.0005, 2, 14)
        .register(registry);
    shardsLost = Counter.builder()
        .name("starling_scheduler_shards_lost_total")
        .help("Shards stopped because their lease moved to another replica")
        .register(registry);
    storeFailures = Counter.builder()
        .name("starling_scheduler_store_failures_total")
        .help("Calls to the database that failed, by operation; tried again")
        .labelNames("operation")
        .register(registry);
    // Known label values start at zero, so rates and alerts see them before the first event.
    List.of("on_time", "caught_up").forEach(fireLag::labelValues);
    List.of("created", "existed", "inactive", "refused", "failed").forEach(fires::labelValues);
    List.of("policy", "window").forEach(skipped::labelValues);
    GaugeWithCallback.builder()
        .name("starling_scheduler_schedules")
        .help("Active schedules of the shards this replica owns")
        .callback(callback -> callback.call(schedules.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("starling_scheduler_fires_waiting")
        .help("Slots due whose execution waits for a free creation (scheduler.max-concurrent-fires)")
        .callback(callback -> callback.call(waiting.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("starling_scheduler_snapshot_bytes")
        .help("Size of the last snapshots written of the owned shards, together")
        .callback(callback -> callback.call(snapshotBytes.getAsLong()))
        .register(registry);
  }
}
