package io.starling.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server per test JVM, and a freshly migrated database on it for each
 * caller, so test classes never see each other's rows. Shared by every module's tests through
 * this module's test jar.
 */
public final class TestDatabases {

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabases() {}

  /** A new, migrated, empty database. */
  public static synchronized DatabaseOptions fresh() {
    if (server == null) {
      server = EmbeddedDatabase.start(tempDirectory(), 0, false);
      EmbeddedDatabase started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-postgres-stop"));
    }
    DatabaseOptions options = server.createDatabase("test_" + NEXT.incrementAndGet());
    Database.migrate(options);
    return options;
  }

  private static Path tempDirectory() {
    try {
      return Files.createTempDirectory("starling-test-pg");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
