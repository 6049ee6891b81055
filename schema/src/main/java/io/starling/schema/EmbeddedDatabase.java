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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started by this JVM from the binaries on the classpath: the database
 * of the sandbox and of the tests. With a data directory it keeps its data across restarts.
 *
 * <p>The server runs as a process of its own, which outlives a JVM that is killed
 * ({@code kill -9}, a crash): it keeps its port and its {@code postmaster.pid}, and the next
 * start on that directory would wait for it and fail. So the JVM that starts a server writes
 * its own process id and start time next to it ({@code starling.owner}); a start that finds a
 * live server on the directory stops it when that owner is gone (an orphan), and refuses at
 * once, naming the owner, when the owner still runs.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String OWNER_FILE = "starling.owner";
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final Path ownerFile;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path ownerFile) {
    this.postgres = postgres;
    this.ownerFile = ownerFile;
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
      stopOrphan(dataDirectory);
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
      EmbeddedPostgres started = builder.start();
      Path owner = dataDirectory.resolve(OWNER_FILE);
      ProcessHandle self = ProcessHandle.current();
      Files.writeString(owner, self.pid() + " " + self.info().startInstant().map(Instant::toString)
          .orElse("") + "\n");
      return new EmbeddedDatabase(started, owner);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory
          + ": " + causes(e), e);
    }
  }

  /**
   * Stops a server left running on {@code dataDirectory} by a JVM that is gone; refuses to
   * touch one whose JVM still runs.
   */
  private static void stopOrphan(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> server = lines.isEmpty() ? Optional.empty()
        : parsePid(lines.get(0)).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    if (server.isEmpty()) {
      return; // a stale pid file: PostgreSQL removes it itself
    }
    Optional<ProcessHandle> owner = owner(dataDirectory.resolve(OWNER_FILE));
    if (owner.isPresent()) {
      throw new IOException("the PostgreSQL server (pid " + server.get().pid() + ") on this data"
          + " directory belongs to a process that still runs (pid " + owner.get().pid()
          + "); stop it first, or use another database.data-dir");
    }
    LOG.atWarn().addKeyValue("pid", server.get().pid()).addKeyValue("data_dir", dataDirectory)
        .log("stopping the PostgreSQL server left on the data directory by a process that is gone");
    server.get().destroy(); // SIGTERM: the dead JVM's sessions are closed, so it stops at once
    try {
      server.get().onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      server.get().destroyForcibly();
      server.get().onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the orphaned PostgreSQL server", e);
    } catch (ExecutionException e) {
      throw new IOException("cannot stop the orphaned PostgreSQL server: " + e.getMessage(), e);
    }
  }

  /** The live process that wrote {@code ownerFile}, if it still runs (same pid and start time). */
  private static Optional<ProcessHandle> owner(Path ownerFile) throws IOException {
    if (!Files.exists(ownerFile)) {
      return Optional.empty();
    }
    String[] parts = Files.readString(ownerFile).strip().split(" ");
    Optional<ProcessHandle> process = parsePid(parts[0]).flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(handle -> handle.pid() != ProcessHandle.current().pid());
    String started = parts.length > 1 ? parts[1] : "";
    return process.filter(handle -> started.isEmpty() || handle.info().startInstant()
        .map(instant -> instant.toString().equals(started)).orElse(true));
  }

  private static Optional<Long> parsePid(String text) {
    try {
      return Optional.of(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The messages of {@code error} and its causes, the way a one-line error can show them. */
  private static String causes(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && text.indexOf(cause.getMessage()) < 0) {
        text.append(text.length() > 0 ? "; " : "").append(cause.getMessage());
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return text.toString();
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
      Files.deleteIfExists(ownerFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
