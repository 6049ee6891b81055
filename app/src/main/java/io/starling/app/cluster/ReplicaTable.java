package io.starling.app.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code replicas} table, where each replica publishes its status, and the holders of the
 * lease tables. Heartbeats and their expiry are the database's clock, as leases are.
 */
final class ReplicaTable {

  /** Rows not rewritten for this long are of replicas long gone: deleted when one starts. */
  private static final Duration FORGOTTEN = Duration.ofHours(1);

  /** A replica's published status ({@code ReplicaStatus} without its shards). */
  record Published(UUID instance, String replicaId, byte[] status, Instant heartbeatAt) {}

  private final Pool pool;

  ReplicaTable(Pool pool) {
    this.pool = pool;
  }

  /**
   * Deletes the rows of the process that listened on {@code grpcAddress} before this one
   * (a replica restarted in place: it must not be shown twice) and those long forgotten.
   */
  Future<Void> clearPrevious(UUID instance, String grpcAddress) {
    return pool.preparedQuery("""
            DELETE FROM replicas WHERE instance <> $1
               AND ((grpc_address = $2 AND $2 <> '')
                    OR heartbeat_at < now() - $3 * interval '1 millisecond')""")
        .execute(Tuple.of(instance, grpcAddress, FORGOTTEN.toMillis())).mapEmpty();
  }

  /** Writes this process's status, with the database's now as its heartbeat. */
  Future<Void> publish(UUID instance, String replicaId, String grpcAddress, byte[] status) {
    return pool.preparedQuery("""
            INSERT INTO replicas (instance, replica_id, grpc_address, status, heartbeat_at)
            VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (instance) DO UPDATE
              SET status = excluded.status, heartbeat_at = excluded.heartbeat_at""")
        .execute(Tuple.of(instance, replicaId, grpcAddress, Buffer.buffer(status))).mapEmpty();
  }

  Future<Void> remove(UUID instance) {
    return pool.preparedQuery("DELETE FROM replicas WHERE instance = $1")
        .execute(Tuple.of(instance)).mapEmpty();
  }

  /** The replicas heard from within {@code timeout}. */
  Future<List<Published>> live(Duration timeout) {
    return pool.preparedQuery("""
            SELECT instance, replica_id, status, heartbeat_at FROM replicas
             WHERE heartbeat_at > now() - $1 * interval '1 millisecond'""")
        .execute(Tuple.of(timeout.toMillis()))
        .map(rows -> {
          List<Published> live = new ArrayList<>();
          rows.forEach(row -> live.add(new Published(row.getUUID("instance"),
              row.getString("replica_id"), row.getBuffer("status").getBytes(),
              row.getOffsetDateTime("heartbeat_at").toInstant())));
          return live;
        });
  }

  /** The unreleased leases of {@code leaseTable}: the shards of each owner, ascending. */
  Future<Map<String, List<Integer>>> holders(String leaseTable) {
    return pool.query("SELECT owner, shard FROM " + leaseTable
            + " WHERE released_at IS NULL ORDER BY shard")
        .execute()
        .map(rows -> {
          Map<String, List<Integer>> holders = new HashMap<>();
          rows.forEach(row -> holders.computeIfAbsent(row.getString("owner"),
              owner -> new ArrayList<>()).add(row.getInteger("shard")));
          return holders;
        });
  }
}
