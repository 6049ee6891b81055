package io.starling.chaos;

import io.starling.app.cli.AdminClient;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.propeller.store.InvariantChecker;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.RestartableDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

/**
 * A cluster of real {@code starling serve} processes on loopback, sharing one PostgreSQL server
 * that the test can stop and start, as the chaos tests need it. Each replica has its own
 * configuration file and log under {@code target/chaos/<test>/}; a failing test names them.
 */
final class ChaosCluster implements AutoCloseable {

  private final Path directory;
  private final RestartableDatabase postgres = RestartableDatabase.start();
  private final String clusterName = "chaos-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ReplicaProcess> replicas = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;

  /** A cluster for {@code test}, with room for {@code size} replicas (none started). */
  ChaosCluster(String test, int size) throws IOException {
    directory = Path.of("target", "chaos", test).toAbsolutePath();
    Files.createDirectories(directory);
    for (int i = 0; i < size; i++) {
      clusterPorts.add(freePort());
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
    int grpc = existing != null ? existing.grpcPort : freePort();
    int http = existing != null ? existing.httpPort : freePort();
    Path config = directory.resolve(name + ".yaml");
    Files.writeString(config, config(name, grpc, http, clusterPorts.get(index)));
    ReplicaProcess replica = new ReplicaProcess(name, config, directory.resolve(name + ".log"),
        grpc, http, clusterPorts.get(index));
    replicas.set(index, replica);
    return replica;
  }

  private String config(String name, int grpc, int http, int clusterPort) {
    DatabaseOptions db = postgres.options();
    StringBuilder members = new StringBuilder();
    clusterPorts.forEach(port -> members.append(members.length() > 0 ? ", " : "")
        .append("127.0.0.1:").append(port));
    return """
        roles: [admin, propeller]
        grpc: {host: 127.0.0.1, port: %d}
        http: {host: 127.0.0.1, port: %d}
        database: {embedded: false, host: %s, port: %d, name: %s, user: %s, password: %s, pool-size: 6}
        propeller:
          replica-id: %s
          workers: 2
          scan-interval: 1s
          retry-delay: 200ms
          lease-renew-interval: 1s
          lease-timeout: 5s
        cluster:
          name: %s
          host: 127.0.0.1
          port: %d
          members: [%s]
          heartbeat-interval: 1s
          heartbeat-timeout: 3s
          merge-delay: 5s
          reconcile-interval: 1s
        """.formatted(grpc, http, db.host(), db.port(), db.database(), db.user(), db.password(),
        name, clusterName, clusterPort, members);
  }

  ReplicaProcess get(int index) {
    return replicas.get(index);
  }

  /** A client of the admin of a running replica. */
  AdminClient client() {
    for (ReplicaProcess replica : replicas) {
      if (replica != null && replica.isAlive()) {
        return new AdminClient("127.0.0.1", replica.grpcPort);
      }
    }
    throw new IllegalStateException("no replica runs");
  }

  /** The owner recorded for each shard lease, as {@code replica-N}. */
  String ownerOf(int shard) throws Exception {
    return query("SELECT owner FROM shard_leases WHERE shard = " + shard);
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

  /** What the invariant checker finds wrong with the stored state; empty when all is well. */
  List<String> violations() {
    return new InvariantChecker(pool).violations().await();
  }

  @Override
  public void close() throws Exception {
    for (ReplicaProcess replica : replicas) {
      if (replica != null && replica.isAlive()) {
        replica.kill();
      }
    }
    pool.close().await();
    vertx.close().await();
    postgres.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
