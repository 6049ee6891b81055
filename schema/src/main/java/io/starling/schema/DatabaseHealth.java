package io.starling.schema;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers, as one component of a replica sees it. The first failure after
 * a success is logged with its cause; later ones are only counted (through the consumer the
 * component gives, by operation); the first success after failures is logged with how many
 * failed meanwhile. An outage costs two log lines, not one per call or per execution.
 */
public final class DatabaseHealth {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);

  private final String component;
  private final Consumer<String> failures;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicLong failedMeanwhile = new AtomicLong();

  /** @param failures counts one failed call of the operation it is given */
  public DatabaseHealth(String component, Consumer<String> failures) {
    this.component = component;
    this.failures = failures;
  }

  /** A call failed because the database did not answer. */
  public void failed(String operation, Throwable cause) {
    failures.accept(operation);
    failedMeanwhile.incrementAndGet();
    if (failing.compareAndSet(false, true)) {
      LOG.atWarn().addKeyValue("component", component).addKeyValue("operation", operation)
          .log("the database does not answer; retrying until it does: {}", cause.toString());
    }
  }

  /** A call to the database succeeded. Cheap: a volatile read while all is well. */
  public void succeeded() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      LOG.atInfo().addKeyValue("component", component)
          .addKeyValue("failed_calls", failedMeanwhile.getAndSet(0))
          .log("the database answers again");
    }
  }

  /**
   * Whether {@code error} says the database could not be reached or went away (refused or lost
   * connections, a pool that timed out waiting for one, a server shutting down or starting up),
   * rather than that it refused a statement.
   */
  public static boolean isUnreachable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof ClosedConnectionException
          || cause instanceof ClosedChannelException || cause instanceof TimeoutException) {
        return true;
      }
      if (cause instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
