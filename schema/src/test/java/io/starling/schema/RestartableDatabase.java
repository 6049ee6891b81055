package io.starling.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server of its own for a test that stops and starts it (an outage of the
 * database): same data directory and port across restarts, so clients reconnect to it.
 */
public final class RestartableDatabase implements AutoCloseable {

  private final Path directory;
  private final int port;
  private final DatabaseOptions options;
  private EmbeddedDatabase server;

  private RestartableDatabase(Path directory) {
    this.directory = directory;
    this.server = EmbeddedDatabase.start(directory, 0, false);
    this.port = server.port();
    this.options = server.createDatabase("restartable");
    Database.migrate(options);
  }

  /** A new server with a migrated database, running. */
  public static RestartableDatabase start() {
    try {
      return new RestartableDatabase(Files.createTempDirectory("starling-restartable-pg"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public DatabaseOptions options() {
    return options;
  }

  /**
   * Makes the server take connections from {@code cidr} too (it listens on every address, and
   * trusts that network), for clients in other network namespaces; restarts it.
   */
  public synchronized void acceptFrom(String cidr) throws IOException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(options.jdbcUrl(),
            options.user(), options.password());
        java.sql.Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM SET listen_addresses = '*'");
    } catch (java.sql.SQLException e) {
      throw new IOException("cannot configure listen_addresses: " + e.getMessage(), e);
    }
    Files.writeString(directory.resolve("pg_hba.conf"),
        "host all all " + cidr + " trust\n", java.nio.file.StandardOpenOption.APPEND);
    stop();
    restart();
  }

  /** Stops the server (fast shutdown: connections are cut, as in an outage). */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts the server again on the same data and port. */
  public synchronized void restart() {
    if (server == null) {
      server = EmbeddedDatabase.start(directory, port, false);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
