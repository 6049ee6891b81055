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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler reads and writes in PostgreSQL: the active scheduled launch plans of its
 * shards, the shards' change counters (bumped by the admin when it activates or deactivates a
 * scheduled version), and their snapshots, written only under the shard's current lease.
 */
final class ScheduleStore {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleStore.class);

  private static final String ACTIVE = """
      SELECT id, project, domain, name, version, spec, activated_at, schedule_shard
        FROM launch_plans
       WHERE state = 1 AND schedule_shard IS NOT NULL AND schedule_shard = ANY($1)""";
  private static final String SHARDS = """
      SELECT shard, changes, snapshot FROM schedule_shards WHERE shard = ANY($1)""";
  private static final String CHANGES = """
      SELECT shard, changes FROM schedule_shards WHERE shard = ANY($1)""";
  // The share lock on the lease row makes a takeover wait for this write, so the new owner
  // reads the snapshot this replica wrote last, never an older one written after it. A shard
  // whose change counter moved since its schedules were loaded is not written: the snapshot
  // would speak for activations its owner has not seen (a version re-activated with a new
  // anchor); it is written after the reload.
  private static final String WRITE = """
      WITH held AS (
        SELECT u.* FROM unnest($1::int[], $2::bigint[], $3::bytea[], $4::bigint[])
                        AS u(shard, epoch, snapshot, changes)
          JOIN schedule_leases l ON l.shard = u.shard AND l.epoch = u.epoch
                                AND l.released_at IS NULL
         ORDER BY u.shard
           FOR SHARE OF l),
      written AS (
        INSERT INTO schedule_shards (shard, changes, snapshot, snapshot_at)
        SELECT shard, changes, snapshot, $5 FROM held
        ON CONFLICT (shard) DO UPDATE
          SET snapshot = excluded.snapshot, snapshot_at = excluded.snapshot_at
          WHERE schedule_shards.changes = excluded.changes
        RETURNING shard)
      SELECT h.shard, w.shard IS NOT NULL AS written
        FROM held h LEFT JOIN written w ON w.shard = h.shard""";

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
            found.put(row.getInteger("shard"), new ShardRow(row.getLong("changes"),
                snapshot(row.getInteger("shard"), row.getBuffer("snapshot"))));
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
            OffsetDateTime activated = row.getOffsetDateTime("activated_at");
            LaunchPlanSpec spec = spec(row);
            if (activated == null || spec == null) {
              LOG.atError().addKeyValue("launch_plan", id.getProject() + "/" + id.getDomain()
                      + "/" + id.getName() + "@" + id.getVersion())
                  .log("schedule cannot fire: its row has {}", activated == null
                      ? "no activation time" : "a spec that does not parse");
              continue;
            }
            found.add(new ActiveSchedule(row.getLong("id"), id, spec.getSchedule(),
                activated.toInstant(), row.getInteger("schedule_shard")));
          }
          return found;
        });
  }

  /** One shard's snapshot, with the lease and the change counter it was taken under. */
  record ShardSnapshot(ShardLease lease, long changes, byte[] bytes) {}

  /**
   * Writes the snapshots of shards still held at the leases' epochs whose change counters have
   * not moved; returns, for each shard still held, whether its snapshot was written. A shard
   * missing was taken over by another replica.
   */
  Future<Map<Integer, Boolean>> write(List<ShardSnapshot> snapshots, Instant takenAt) {
    Integer[] shards = new Integer[snapshots.size()];
    Long[] epochs = new Long[snapshots.size()];
    Buffer[] bytes = new Buffer[snapshots.size()];
    Long[] changes = new Long[snapshots.size()];
    for (int i = 0; i < snapshots.size(); i++) {
      ShardSnapshot snapshot = snapshots.get(i);
      shards[i] = snapshot.lease().shard();
      epochs[i] = snapshot.lease().epoch();
      bytes[i] = Buffer.buffer(snapshot.bytes());
      changes[i] = snapshot.changes();
    }
    return pool.preparedQuery(WRITE)
        .execute(Tuple.of(shards, epochs, bytes, changes,
            OffsetDateTime.ofInstant(takenAt, ZoneOffset.UTC)))
        .map(rows -> {
          Map<Integer, Boolean> held = new HashMap<>();
          rows.forEach(row -> held.put(row.getInteger(0), row.getBoolean(1)));
          return held;
        });
  }

  /** The spec of a launch plan row; null when it does not parse. */
  private static LaunchPlanSpec spec(Row row) {
    try {
      return LaunchPlanSpec.parseFrom(row.getBuffer("spec").getBytes());
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /**
   * A shard's snapshot; none when it has none or it does not read (its schedules then go on
   * from their activations, and what they fired since is found as existing).
   */
  private static Snapshot snapshot(int shard, Buffer bytes) {
    try {
      return Snapshot.decode(bytes == null ? null : bytes.getBytes());
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("shard", shard)
          .log("schedule snapshot does not read, going on from activations: {}", e.toString());
      return Snapshot.NONE;
    }
  }
}
