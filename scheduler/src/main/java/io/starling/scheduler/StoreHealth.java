package io.starling.scheduler;

import io.starling.schema.DatabaseHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the scheduler reports its database calls: an outage is logged once when it starts and
 * once when it ends; any other failure (a deadlock, a refused statement) each time. Every
 * failure is counted by operation; the call is tried again by its caller.
 */
final class StoreHealth {

  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final SchedulerMetrics metrics;
  private final DatabaseHealth outages;

  StoreHealth(SchedulerMetrics metrics) {
    this.metrics = metrics;
    this.outages = new DatabaseHealth("scheduler",
        operation -> metrics.storeFailures.labelValues(operation).inc());
  }

  void succeeded() {
    outages.succeeded();
  }

  void failed(String operation, Throwable error) {
    if (DatabaseHealth.isUnreachable(error)) {
      outages.failed(operation, error);
    } else {
      metrics.storeFailures.labelValues(operation).inc();
      LOG.atWarn().addKeyValue("operation", operation).log("{} failed, tried again: {}",
          operation, error.toString());
    }
  }
}
