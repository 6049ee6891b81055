package io.starling.app.replica;

import io.starling.proto.admin.ReplicaStatus;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.RealTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What {@code shard_leases} says about who runs which shards, read over JDBC. */
final class Leases {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

  private Leases() {}

  /** Shards held (not released) per replica id. */
  static Map<String, Integer> heldPerReplica(DatabaseOptions database) {
    Map<String, Integer> held = new HashMap<>();
    query(database, "SELECT owner, count(*) FROM shard_leases WHERE released_at IS NULL"
        + " GROUP BY owner", null, rows -> held.put(rows.getString(1), rows.getInt(2)));
    return held;
  }

  /**
   * Waits until the held leases are exactly {@code shards} many and every one of
   * {@code replicas} holds some: the partitions have settled after members joined.
   */
  static void awaitHolders(DatabaseOptions database, Collection<String> replicas, int shards)
      throws Exception {
    try {
      RealTime.await("leases to settle on " + replicas, SETTLE_TIMEOUT, () -> {
        Map<String, Integer> held = heldPerReplica(database);
        return held.keySet().containsAll(replicas)
            && held.values().stream().mapToInt(Integer::intValue).sum() == shards;
      });
    } catch (AssertionError unsettled) {
      throw new AssertionError(unsettled.getMessage() + ": " + heldPerReplica(database));
    }
  }

  /** The replicas that hold the shards of {@code project}'s executions. */
  static Set<String> holdersOf(DatabaseOptions database, String project) {
    Set<String> holders = new TreeSet<>();
    query(database, "SELECT DISTINCT l.owner FROM executions e JOIN shard_leases l"
        + " ON l.shard = e.shard WHERE e.project = ?", project,
        rows -> holders.add(rows.getString(1)));
    return holders;
  }

  /** The shards of {@code project}'s executions. */
  static Set<Integer> shardsOf(DatabaseOptions database, String project) {
    Set<Integer> shards = new TreeSet<>();
    query(database, "SELECT DISTINCT shard FROM executions WHERE project = ?", project,
        rows -> shards.add(rows.getInt(1)));
    return shards;
  }

  /**
   * Writes the status row of a replica last heard from a minute ago, as one that died leaves
   * it (holding no lease).
   */
  static void insertStaleReplica(DatabaseOptions database, String replicaId) throws SQLException {
    try (Connection connection = connect(database);
        PreparedStatement statement = connection.prepareStatement("INSERT INTO replicas"
            + " (instance, replica_id, grpc_address, status, heartbeat_at) VALUES"
            + " (gen_random_uuid(), ?, '', ?, now() - interval '1 minute')")) {
      statement.setString(1, replicaId);
      statement.setBytes(2, ReplicaStatus.newBuilder().setId(replicaId)
          .build().toByteArray());
      statement.executeUpdate();
    }
  }

  private interface Row {
    void read(ResultSet rows) throws SQLException;
  }

  private static void query(DatabaseOptions database, String sql, String parameter, Row row) {
    try (Connection connection = connect(database);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          row.read(rows);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(DatabaseOptions database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + database.host() + ":"
        + database.port() + "/" + database.database(), database.user(), database.password());
  }
}
