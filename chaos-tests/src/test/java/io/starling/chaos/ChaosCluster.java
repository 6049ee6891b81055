package io.starling.chaos;

import io.starling.app.cli.AdminClient;
import io.starling.auth.ApiKey;
import io.starling.proto.Phases;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.propeller.store.InvariantChecker;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.LoopbackPorts;
import io.starling.schema.RestartableDatabase;
import io.starling.schema.RealTime;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A cluster of real {@code starling serve} processes on loopback, sharing one PostgreSQL server
 * that the test can stop and start, as the chaos tests need it. Each replica has its own
 * configuration file and log under {@code target/chaos/<test>/}; a failing test names them.
 */
final class ChaosCluster implements AutoCloseable {

  /** HTTP/1.1: the JDK client's upgrade to HTTP/2 over plain HTTP can hang past its timeout. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final Path directory;
  private final RestartableDatabase postgres = RestartableDatabase.start();
  private final String clusterName = "chaos-" + UUID.randomUUID().toString().substring(0, 8);
  /** The replicas take only API keys; this one, the bootstrap key, is the tests' admin. */
  private final ApiKey adminKey = ApiKey.generate();
  private final List<ReplicaProcess> replicas = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;
  private final Namespaces namespaces;
  private int next;

  /** A cluster for {@code test} on loopback, with room for {@code size} replicas. */
  ChaosCluster(String test, int size) throws IOException {
    this(test, size, null);
  }

  /**
   * A cluster for {@code test} with room for {@code size} replicas (none started), each in its
   * own network namespace of {@code namespaces} when it is not null.
   */
  ChaosCluster(String test, int size, Namespaces namespaces) throws IOException {
    this.namespaces = namespaces;
    if (namespaces != null) {
      postgres.acceptFrom(Namespaces.NETWORK);
    }
    directory = Path.of("target", "chaos", test).toAbsolutePath();
    Files.createDirectories(directory);
    // A replica's log is appended to across its restarts within a run; a run starts afresh.
    try (Stream<Path> previous = Files.list(directory)) {
      for (Path log : previous.filter(file -> file.toString().endsWith(".log")).toList()) {
        Files.delete(log);
      }
    }
    for (int i = 0; i < size; i++) {
      clusterPorts.add(LoopbackPorts.reserve());
    }
    pool = Database.pool(vertx, postgres.options());
  }

  RestartableDatabase postgres() {
    return postgres;
  }

  Path directory() {
    return directory;
  }

  /** The replica named {@code name} ({@code replica-N}). */
  ReplicaProcess replica(String name) {
    return replicas.stream().filter(r -> r != null && r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no replica " + name));
  }

  /** The shard of an execution. */
  int shardOf(ExecutionIdentifier id) throws Exception {
    return Integer.parseInt(query("SELECT shard FROM executions WHERE name = '" + id.getName()
        + "'"));
  }

  /** Waits until {@code count} nodes of {@code id} run or have run. */
  void awaitRunningNodes(ExecutionIdentifier id, int count) throws Exception {
    RealTime.await("nodes of " + id.getName() + " running", Duration.ofSeconds(60), () ->
        Integer.parseInt(query("SELECT count(*) FROM node_executions n JOIN executions e ON"
            + " e.id = n.execution_id WHERE e.name = '" + id.getName() + "' AND n.phase IN (2, 3)"))
            >= count);
  }

  /** Waits until no execution is left unfinished; returns how many ended in each phase. */
  String awaitAllEnded(Duration timeout) throws Exception {
    RealTime.await("every execution to end", timeout, () -> "0".equals(query(
        "SELECT count(*) FROM executions WHERE phase IN " + Phases.ACTIVE_EXECUTIONS_SQL)));
    return query("SELECT string_agg(phase || ':' || n, ' ') FROM (SELECT phase, count(*) AS n"
        + " FROM executions GROUP BY phase ORDER BY phase) p");
  }

  /** The subtasks of a map node of an execution that succeeded. */
  int succeededSubtasks(ExecutionIdentifier id, String node) throws Exception {
    DatabaseOptions db = postgres.options();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
            "SELECT n.subtasks FROM node_executions n JOIN executions e ON e.id = n.execution_id"
                + " WHERE e.name = '" + id.getName() + "' AND n.node_id = '" + node + "'")) {
      rows.next();
      return SubtaskStates.counts(rows.getBytes(1)).getSucceeded();
    }
  }

  /** Starts replica {@code index} (0-based) and waits until it serves. */
  ReplicaProcess start(int index) throws Exception {
    ReplicaProcess replica = replica(index).start();
    replica.awaitServing();
    System.out.println("started " + replica);
    return replica;
  }

  /** Starts replicas {@code 0..count-1} at once and waits until each serves. */
  List<ReplicaProcess> startAll(int count) throws Exception {
    List<ReplicaProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(replica(i).start());
    }
    for (ReplicaProcess replica : started) {
      replica.awaitServing();
      System.out.println("started " + replica);
    }
    return started;
  }

  private ReplicaProcess replica(int index) throws IOException {
    while (replicas.size() <= index) {
      replicas.add(null);
    }
    ReplicaProcess existing = replicas.get(index);
    if (existing != null && existing.isAlive()) {
      throw new IllegalStateException(existing + " is running");
    }
    String name = "replica-" + index;
    int grpc = existing != null ? existing.grpcPort : LoopbackPorts.reserve();
    int http = existing != null ? existing.httpPort : LoopbackPorts.reserve();
    Path config = directory.resolve(name + ".yaml");
    Files.writeString(config, config(index, grpc, http, clusterPorts.get(index)));
    ReplicaProcess replica = new ReplicaProcess(name, config, directory.resolve(name + ".log"),
        namespaces == null ? List.of() : namespaces.exec(index), host(index), grpc, http,
        clusterPorts.get(index));
    replicas.set(index, replica);
    return replica;
  }

  /** Where replica {@code index} is reached. */
  private String host(int index) {
    return namespaces == null ? "127.0.0.1" : Namespaces.address(index);
  }

  private String config(int index, int grpc, int http, int clusterPort) {
    DatabaseOptions db = postgres.options();
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < clusterPorts.size(); i++) {
      members.append(members.length() > 0 ? ", " : "").append(host(i)).append(':')
          .append(clusterPorts.get(i));
    }
    String name = "replica-" + index;
    String host = host(index);
    String dbHost = namespaces == null ? db.host() : Namespaces.hostAddress(index);
    return """
        roles: [admin, propeller, scheduler]
        grpc: {host: %s, port: %d}
        http: {host: %s, port: %d}
        database: {embedded: false, host: %s, port: %d, name: %s, user: %s, password: %s, pool-size: 6}
        auth: {mode: api-keys, bootstrap-key: %s}
        propeller:
          replica-id: %s
          workers: 2
          scan-interval: 1s
          retry-delay: 200ms
          lease-renew-interval: 1s
          lease-timeout: 5s
        cluster:
          name: %s
          host: %s
          port: %d
          members: [%s]
          heartbeat-interval: 1s
          heartbeat-timeout: 5s
          merge-delay: 5s
          reconcile-interval: 1s
        """.formatted(host, grpc, host, http, dbHost, db.port(), db.database(), db.user(),
        db.password(), adminKey.text(), name, clusterName, host, clusterPort, members);
  }

  ReplicaProcess get(int index) {
    return replicas.get(index);
  }

  /** The key clients of the cluster send: an admin of every project. */
  String apiKey() {
    return adminKey.text();
  }

  /** A client of the admin of a running replica, the next one each time. */
  AdminClient client() {
    for (int tried = 0; tried < replicas.size(); tried++) {
      ReplicaProcess replica = replicas.get(Math.floorMod(next++, replicas.size()));
      if (replica != null && replica.isAlive()) {
        return new AdminClient(replica.host, replica.grpcPort, adminKey.text());
      }
    }
    throw new IllegalStateException("no replica runs");
  }

  /** The owner recorded for each shard lease, as {@code replica-N}. */
  String ownerOf(int shard) throws Exception {
    return query("SELECT owner FROM shard_leases WHERE shard = " + shard);
  }

  /** How many shards {@code owner} holds a current lease of. */
  int leasesOf(String owner) throws Exception {
    return Integer.parseInt(query("SELECT count(*) FROM shard_leases WHERE released_at IS NULL"
        + " AND owner = '" + owner + "'"));
  }

  /** How many shards each replica holds a current lease of. */
  String leasesByOwner() throws Exception {
    return query("SELECT string_agg(owner || '=' || n, ' ' ORDER BY owner) FROM (SELECT owner,"
        + " count(*) AS n FROM shard_leases WHERE released_at IS NULL GROUP BY owner) c");
  }

  String query(String sql) throws Exception {
    DatabaseOptions db = postgres.options();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** The status a replica's HTTP {@code path} (a probe: /readyz, /livez) answers. */
  static int probe(ReplicaProcess replica, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + replica.host + ":"
            + replica.httpPort + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The value of a counter (summed over its labels) on a replica's /metrics. */
  static double metric(ReplicaProcess replica, String name) throws Exception {
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://"
            + replica.host + ":" + replica.httpPort + "/metrics")).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Each shard's epoch, by shard. */
  java.util.Map<Integer, Long> epochs() throws Exception {
    DatabaseOptions db = postgres.options();
    java.util.Map<Integer, Long> epochs = new java.util.TreeMap<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT shard, epoch FROM shard_leases")) {
      while (rows.next()) {
        epochs.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return epochs;
  }

  /** What the invariant checker finds wrong with the stored state; empty when all is well. */
  List<String> violations() {
    return new InvariantChecker(pool).violations().await();
  }

  @Override
  public void close() {
    try {
      for (ReplicaProcess replica : replicas) {
        if (replica != null && replica.isAlive()) {
          replica.kill();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the replicas", e);
    } finally {
      pool.close().await();
      vertx.close().await();
      postgres.close();
    }
  }

}
