package io.starling.schema;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;

/** Opens the shared PostgreSQL schema: migrations at start-up, then a pipelined Vert.x pool. */
public final class Database {

  private Database() {}

  /**
   * Applies the Flyway migrations under {@code db/migration} that the database has not seen yet.
   * Blocking (JDBC): call once at start-up, never from an event loop.
   */
  public static void migrate(DatabaseOptions options) {
    try {
      Flyway.configure()
          .dataSource(options.jdbcUrl(), options.user(), options.password())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new IllegalStateException("cannot migrate PostgreSQL at " + options.host() + ":"
          + options.port() + "/" + options.database() + " as " + options.user() + ": "
          + rootCause(e), e);
    }
  }

  /**
   * The first line of the driver's words: the innermost {@link SQLException} (it names host and
   * port), else the innermost cause; not Flyway's many-line report.
   */
  private static String rootCause(Throwable error) {
    Throwable root = error;
    Throwable driver = null;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      root = cause;
      if (cause instanceof SQLException) {
        driver = cause;
      }
    }
    Throwable said = driver != null ? driver : root;
    String message = said.getMessage() == null ? said.toString() : said.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }

  /** A reactive connection pool; statements are pipelined up to the configured limit. */
  public static Pool pool(Vertx vertx, DatabaseOptions options) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(options.host())
        .setPort(options.port())
        .setDatabase(options.database())
        .setUser(options.user())
        .setPassword(options.password())
        .setPipeliningLimit(options.pipeliningLimit())
        .setCachePreparedStatements(true);
    connect.addProperty("idle_in_transaction_session_timeout",
        Long.toString(options.idleInTransactionTimeout().toMillis()));
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(options.poolSize()))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }
}
