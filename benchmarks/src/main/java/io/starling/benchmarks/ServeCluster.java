package io.starling.benchmarks;

import io.starling.app.JvmOptions;
import io.starling.app.cli.AdminClient;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Replicas of {@code starling serve} as separate processes on loopback, sharing one embedded
 * PostgreSQL with durable commits, for the harnesses that measure what distribution costs and
 * how fast a handover is. Each replica's output goes to a log file under the cluster's
 * directory; {@link #close} kills what still runs.
 */
final class ServeCluster implements AutoCloseable {

  /** What every replica's configuration adds to the generated part. */
  private final String extra;
  private final Duration heartbeatTimeout;
  private final Path directory;
  private final EmbeddedDatabase postgres;
  private final DatabaseOptions database;
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> grpcPorts = new ArrayList<>();
  private final List<AdminClient> clients = new ArrayList<>();

  /**
   * Room for {@code size} replicas whose members count one gone after {@code heartbeatTimeout};
   * {@code extra} is YAML under {@code propeller:} that every replica's file ends with.
   */
  ServeCluster(int size, Duration heartbeatTimeout, String extra) throws IOException {
    this.extra = extra;
    this.heartbeatTimeout = heartbeatTimeout;
    this.directory = Files.createTempDirectory("starling-cluster");
    this.postgres = EmbeddedDatabase.start(directory.resolve("postgres"), 0, true);
    this.database = postgres.createDatabase("starling").poolSize(8);
    for (int i = 0; i < size; i++) {
      clusterPorts.add(freePort());
    }
  }

  Path directory() {
    return directory;
  }

  Path postgresData() {
    return directory.resolve("postgres");
  }

  /** Starts replicas {@code replica-0 .. replica-(count-1)} and waits until each serves. */
  void start(int count) throws Exception {
    List<Process> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(startProcess(processes.size()));
    }
    for (Process process : started) {
      awaitServing(process, processes.indexOf(process));
    }
  }

  private Process startProcess(int index) throws IOException {
    int grpc = freePort();
    Path config = directory.resolve("replica-" + index + ".yaml");
    Files.writeString(config, config(index, grpc, freePort()));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(JvmOptions.HAZELCAST_ACCESS);
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"), "io.starling.app.Starling",
        "serve", "--config", config.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve("replica-" + index + ".log").toFile()).start();
    processes.add(process);
    grpcPorts.add(grpc);
    return process;
  }

  private void awaitServing(Process process, int index) throws Exception {
    Path log = directory.resolve("replica-" + index + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains("replica serving gRPC")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("replica-" + index + " did not start; see " + log);
      }
      LockSupport.parkNanos(20_000_000);
    }
    clients.add(new AdminClient("127.0.0.1", grpcPorts.get(index)));
  }

  private String config(int index, int grpc, int http) {
    StringBuilder members = new StringBuilder();
    for (int port : clusterPorts) {
      members.append(members.length() > 0 ? ", " : "").append("127.0.0.1:").append(port);
    }
    return """
        roles: [admin, propeller, scheduler]
        grpc: {port: %d}
        http: {port: %d}
        database: {embedded: false, host: %s, port: %d, name: %s, user: %s, password: %s, pool-size: 8}
        admin: {max-parallelism: 0}
        auth: {mode: open}   # loopback only; what is measured is the engine, not the keys
        cluster: {name: bench, port: %d, members: [%s], heartbeat-interval: 1s,
                  heartbeat-timeout: %ds}
        """.formatted(grpc, http, database.host(), database.port(), database.database(),
        database.user(), database.password(), clusterPorts.get(index), members,
        heartbeatTimeout.toSeconds())
        + "propeller:\n  replica-id: replica-" + index + "\n" + extra;
  }

  /** Clients of the replicas' admins, in the order they were started. */
  List<AdminClient> clients() {
    return clients;
  }

  List<Process> processes() {
    return processes;
  }

  /**
   * Waits until the live replicas hold every one of {@code shards} leases and Hazelcast's
   * spread has settled: no replica holds more than one shard more than another.
   */
  Map<String, Integer> awaitBalanced(int replicas, int shards, Duration timeout)
      throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Integer> held = leases();
      int sum = held.values().stream().mapToInt(Integer::intValue).sum();
      int max = held.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      int min = held.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      if (held.size() == replicas && sum == shards && max - min <= 1) {
        return held;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("leases did not settle on " + replicas + " replicas: "
            + held);
      }
      LockSupport.parkNanos(50_000_000);
    }
  }

  /** Shards held per replica. */
  Map<String, Integer> leases() throws SQLException {
    Map<String, Integer> held = new TreeMap<>();
    query("SELECT owner, count(*) FROM shard_leases WHERE released_at IS NULL GROUP BY owner",
        rows -> held.put(rows.getString(1), rows.getInt(2)));
    return held;
  }

  /** Reads each row {@code sql} returns. */
  void query(String sql, Row row) throws SQLException {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(),
            database.password());
        Statement statement = c.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        row.read(rows);
      }
    }
  }

  /** One row of a result. */
  interface Row {
    void read(ResultSet rows) throws SQLException;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    clients.forEach(AdminClient::close);
    for (Process process : processes) {
      process.destroyForcibly();
      process.onExit().join();
    }
    postgres.close();
  }
}
