package io.starling.propeller;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store answers, as the propeller sees it. The first failure after a success is
 * logged with its cause, later ones are only counted ({@code
 * starling_propeller_store_failures_total}), and the first success after failures is logged with
 * how many failed meanwhile: an outage of the database costs two log lines, not one per
 * execution per retry.
 */
final class StoreHealth {

  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final Counter failures;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicLong failedMeanwhile = new AtomicLong();

  StoreHealth(Counter failures) {
    this.failures = failures;
  }

  /** A call to the store failed for a reason other than a refusal. */
  void failed(String operation, Throwable cause) {
    failures.labelValues(operation).inc();
    failedMeanwhile.incrementAndGet();
    if (failing.compareAndSet(false, true)) {
      LOG.atWarn().addKeyValue("operation", operation)
          .log("the database does not answer; retrying until it does: {}", cause.toString());
    }
  }

  /** A call to the store succeeded. */
  void succeeded() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      LOG.atInfo().addKeyValue("failed_calls", failedMeanwhile.getAndSet(0))
          .log("the database answers again");
    }
  }
}
