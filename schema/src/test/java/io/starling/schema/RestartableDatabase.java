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
