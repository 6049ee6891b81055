package io.starling.schema;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server started by this JVM from the binaries on the classpath: the database
 * of the sandbox and of the tests. With a data directory it keeps its data across restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server whose data lives in {@code dataDirectory} (created and initialised on first
   * use, reused afterwards).
   *
   * @param port TCP port on localhost; 0 picks a free one
   * @param durable whether commits wait for the WAL to reach the disk ({@code fsync} and
   *     {@code synchronous_commit}); off trades the last few hundred milliseconds of commits on a
   *     crash, and on a power loss possibly the whole database, for speed
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("fsync", durable ? "on" : "off") // overrides the -F the starter passes
          .setServerConfig("synchronous_commit", durable ? "on" : "off")
          // autovacuum looks at the database every 5 s instead of every minute: a sandbox
          // starts empty and fills fast, and its planner needs statistics from the start
          .setServerConfig("autovacuum_naptime", "5s")
          .setServerConfig("max_connections", "200");
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /** Creates {@code database} if it does not exist and returns options that point at it. */
  public DatabaseOptions createDatabase(String database) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet exists = statement.executeQuery(
          "SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
        if (!exists.next()) {
          statement.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database, e);
    }
    return new DatabaseOptions()
        .host("localhost")
        .port(postgres.getPort())
        .database(database)
        .user("postgres")
        .password("postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
