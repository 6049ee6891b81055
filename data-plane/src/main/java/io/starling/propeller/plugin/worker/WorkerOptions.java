package io.starling.propeller.plugin.worker;

import java.time.Duration;

/**
 * Options of the worker protocol; config keys {@code plugins.worker.*}.
 *
 * @param leaseTimeout how long a worker holds an attempt without a heartbeat before it is
 *     failed over to another worker as a new attempt
 * @param claimInterval how often a replica with workers that can take more looks for queued
 *     attempts of executions other replicas run (its own are handed over at once)
 * @param pollInterval how often the replica that runs an execution checks on the attempts it
 *     waits for, in case a report's notice did not reach it
 * @param maxBatch the most attempts in one statement
 */
public record WorkerOptions(Duration leaseTimeout, Duration claimInterval, Duration pollInterval,
    int maxBatch) {

  public static WorkerOptions defaults() {
    return new WorkerOptions(Duration.ofSeconds(30), Duration.ofMillis(50),
        Duration.ofSeconds(1), 1000);
  }

  public WorkerOptions {
    positive("plugins.worker.lease-timeout", leaseTimeout);
    positive("plugins.worker.claim-interval", claimInterval);
    positive("plugins.worker.poll-interval", pollInterval);
    if (leaseTimeout.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException(
          "plugins.worker.lease-timeout must be at least 3s, got " + leaseTimeout);
    }
    if (maxBatch < 1 || maxBatch > 10_000) {
      throw new IllegalArgumentException(
          "plugins.worker.max-batch must be within 1-10000, got " + maxBatch);
    }
  }

  /** How often workers send heartbeats: three chances per lease. */
  public Duration heartbeatInterval() {
    return leaseTimeout.dividedBy(3);
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }
}
