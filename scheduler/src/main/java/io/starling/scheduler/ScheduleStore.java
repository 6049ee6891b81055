package io.starling.scheduler;

import com.google.protobuf.InvalidProtocolBufferException;
import io.starling.ownership.ShardLease;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.ResourceType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler reads and writes in PostgreSQL: the active scheduled launch plans of its
 * shards, the shards' change counters (bumped by the admin when it activates or deactivates a
 * scheduled version), and their snapshots, written only under the shard's current lease.
 */
final class ScheduleStore {

  private static final String ACTIVE = """
      SELECT id, project, domain, name, version, spec, activated_at, schedule_shard
        FROM launch_plans
       WHERE state = 1 AND schedule_shard IS NOT NULL AND schedule_shard = ANY($1)""";
  private static final String SHARDS = """
      SELECT shard, changes, snapshot FROM schedule_shards WHERE shard = ANY($1)""";
  private static final String CHANGES = """
      SELECT shard, changes FROM schedule_shards WHERE shard = ANY($1)""";
  // The share lock on the lease row makes a takeover wait for this write, so the new owner
  // reads the snapshot this replica wrote last, never an older one written after it.
  private static final String WRITE = """
      INSERT INTO schedule_shards (shard, snapshot, snapshot_at)
      SELECT u.shard, u.snapshot, $4
        FROM unnest($1::int[], $2::bigint[], $3::bytea[]) AS u(shard, epoch, snapshot)
        JOIN schedule_leases l ON l.shard = u.shard AND l.epoch = u.epoch
                              AND l.released_at IS NULL
       ORDER BY u.shard
         FOR SHARE OF l
      ON CONFLICT (shard) DO UPDATE
        SET snapshot = excluded.snapshot, snapshot_at = excluded.snapshot_at
      RETURNING shard""";

  private final Pool pool;

  ScheduleStore(Pool pool) {
    this.pool = pool;
  }

  /** A shard's change counter and last snapshot. */
  record ShardRow(long changes, Snapshot snapshot) {}

  Future<Map<Integer, ShardRow>> shards(Collection<Integer> shards) {
    return pool.preparedQuery(SHARDS).execute(Tuple.of((Object) shards.toArray(new Integer[0])))
        .map(rows -> {
          Map<Integer, ShardRow> found = new HashMap<>();
          for (Row row : rows) {
            Buffer snapshot = row.getBuffer("snapshot");
            found.put(row.getInteger("shard"), new ShardRow(row.getLong("changes"),
                Snapshot.decode(snapshot == null ? null : snapshot.getBytes())));
          }
          return found;
        });
  }

  Future<Map<Integer, Long>> changes(Collection<Integer> shards) {
    return pool.preparedQuery(CHANGES).execute(Tuple.of((Object) shards.toArray(new Integer[0])))
        .map(rows -> {
          Map<Integer, Long> found = new HashMap<>();
          rows.forEach(row -> found.put(row.getInteger(0), row.getLong(1)));
          return found;
        });
  }

  Future<List<ActiveSchedule>> active(Collection<Integer> shards) {
    return pool.preparedQuery(ACTIVE).execute(Tuple.of((Object) shards.toArray(new Integer[0])))
        .map(rows -> {
          List<ActiveSchedule> found = new ArrayList<>(rows.size());
          for (Row row : rows) {
            Identifier id = Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
                .setProject(row.getString("project")).setDomain(row.getString("domain"))
                .setName(row.getString("name")).setVersion(row.getString("version")).build();
            found.add(new ActiveSchedule(row.getLong("id"), id,
                spec(row).getSchedule(), row.getOffsetDateTime("activated_at").toInstant(),
                row.getInteger("schedule_shard")));
          }
          return found;
        });
  }

  /**
   * Writes the snapshots of shards still held at the leases' epochs; returns the shards
   * written (a shard missing was taken over by another replica).
   */
  Future<List<Integer>> write(Map<ShardLease, byte[]> snapshots, Instant takenAt) {
    Integer[] shards = new Integer[snapshots.size()];
    Long[] epochs = new Long[snapshots.size()];
    Buffer[] bytes = new Buffer[snapshots.size()];
    int i = 0;
    for (Map.Entry<ShardLease, byte[]> entry : snapshots.entrySet()) {
      shards[i] = entry.getKey().shard();
      epochs[i] = entry.getKey().epoch();
      bytes[i++] = Buffer.buffer(entry.getValue());
    }
    return pool.preparedQuery(WRITE)
        .execute(Tuple.of(shards, epochs, bytes, OffsetDateTime.ofInstant(takenAt, ZoneOffset.UTC)))
        .map(rows -> {
          List<Integer> written = new ArrayList<>();
          rows.forEach(row -> written.add(row.getInteger(0)));
          return written;
        });
  }

  private static LaunchPlanSpec spec(Row row) {
    try {
      return LaunchPlanSpec.parseFrom(row.getBuffer("spec").getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt stored launch plan " + row.getLong("id"), e);
    }
  }
}
