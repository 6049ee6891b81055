package io.starling.schema;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/** Opens the shared PostgreSQL schema: migrations at start-up, then a pipelined Vert.x pool. */
public final class Database {

  private Database() {}

  /**
   * Applies the Flyway migrations under {@code db/migration} that the database has not seen yet.
   * Blocking (JDBC): call once at start-up, never from an event loop.
   */
  public static void migrate(DatabaseOptions options) {
    Flyway.configure()
        .dataSource(options.jdbcUrl(), options.user(), options.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
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
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(options.poolSize()))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }
}
