package io.starling.ownership;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows of a lease table ({@code shard_leases} of the propeller, {@code schedule_leases} of
 * the scheduler; one shape): acquiring bumps each shard's epoch in one statement; renewing and
 * releasing touch only the rows still at the epoch given. Renewal and expiry use the database's
 * clock, so the replicas' clocks need not agree.
 */
public final class LeaseTable {

  /** The propeller's leases: whoever holds a shard's epoch here writes its executions' state. */
  public static final String PROPELLER = "shard_leases";
  /** The scheduler's leases: whoever holds a shard's epoch here fires its schedules. */
  public static final String SCHEDULER = "schedule_leases";

  // Every statement here, and the writers' fences, lock lease rows in shard order: two
  // statements that lock the same rows in different orders can deadlock each other.
  private static final String ACQUIRE = """
      INSERT INTO %1$s (shard, owner, epoch, acquired_at, renewed_at)
      SELECT s, $2, 1, $3, now() FROM unnest($1::int[]) AS s ORDER BY s
      ON CONFLICT (shard) DO UPDATE
        SET owner = excluded.owner, epoch = %1$s.epoch + 1,
            acquired_at = excluded.acquired_at, renewed_at = now(), released_at = NULL
      RETURNING shard, epoch""";
  private static final String RENEW = """
      WITH held AS (
        SELECT l.shard FROM %1$s l JOIN unnest($1::int[], $2::bigint[]) AS r(shard, epoch)
            ON l.shard = r.shard AND l.epoch = r.epoch
         WHERE l.released_at IS NULL ORDER BY l.shard FOR UPDATE OF l)
      UPDATE %1$s l SET renewed_at = now() FROM held WHERE l.shard = held.shard
      RETURNING l.shard""";
  private static final String RELEASE = """
      WITH held AS (
        SELECT l.shard FROM %1$s l JOIN unnest($1::int[], $2::bigint[]) AS r(shard, epoch)
            ON l.shard = r.shard AND l.epoch = r.epoch
         WHERE l.released_at IS NULL ORDER BY l.shard FOR UPDATE OF l)
      UPDATE %1$s l SET released_at = now() FROM held WHERE l.shard = held.shard""";
  private static final String RECLAIMABLE = """
      SELECT s FROM unnest($1::int[]) AS s
       WHERE NOT EXISTS (SELECT 1 FROM %1$s l WHERE l.shard = s
                          AND l.released_at IS NULL
                          AND l.renewed_at > now() - $2 * interval '1 millisecond')""";

  private final Pool pool;
  private final Clock clock;
  private final String acquire;
  private final String renew;
  private final String release;
  private final String reclaimable;

  /** The leases of {@code table} ({@link #PROPELLER} or {@link #SCHEDULER}). */
  public LeaseTable(Pool pool, Clock clock, String table) {
    this.pool = pool;
    this.clock = clock;
    this.acquire = ACQUIRE.formatted(table);
    this.renew = RENEW.formatted(table);
    this.release = RELEASE.formatted(table);
    this.reclaimable = RECLAIMABLE.formatted(table);
  }

  /**
   * Takes {@code shards} over for {@code owner}. A write of the previous owner that is in
   * flight holds a share lock on the lease row, so the takeover waits for it to commit, and
   * every write of the previous owner after the takeover fails its epoch check.
   */
  public Future<List<ShardLease>> acquire(Collection<Integer> shards, String owner) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return pool.preparedQuery(acquire)
        .execute(Tuple.of(shards.toArray(new Integer[0]), owner, now))
        .map(rows -> {
          List<ShardLease> leases = new ArrayList<>(rows.size());
          for (Row row : rows) {
            leases.add(new ShardLease(row.getInteger("shard"), row.getLong("epoch"), owner));
          }
          return leases;
        });
  }

  /** Renews {@code leases}; returns the shards whose lease was still current (renewed). */
  public Future<Set<Integer>> renew(Collection<ShardLease> leases) {
    return pool.preparedQuery(renew).execute(pairs(leases)).map(rows -> {
      Set<Integer> renewed = new HashSet<>();
      rows.forEach(row -> renewed.add(row.getInteger(0)));
      return renewed;
    });
  }

  /** Releases {@code leases} that are still current: their shards may be taken at once. */
  public Future<Void> release(Collection<ShardLease> leases) {
    return pool.preparedQuery(release).execute(pairs(leases)).mapEmpty();
  }

  /**
   * Which of {@code shards} nobody holds: no lease, a released one, or one not renewed within
   * {@code timeout}.
   */
  public Future<Set<Integer>> reclaimable(Collection<Integer> shards, Duration timeout) {
    return pool.preparedQuery(reclaimable)
        .execute(Tuple.of(shards.toArray(new Integer[0]), timeout.toMillis()))
        .map(rows -> {
          Set<Integer> free = new HashSet<>();
          rows.forEach(row -> free.add(row.getInteger(0)));
          return free;
        });
  }

  private static Tuple pairs(Collection<ShardLease> leases) {
    Integer[] shards = new Integer[leases.size()];
    Long[] epochs = new Long[leases.size()];
    int i = 0;
    for (ShardLease lease : leases) {
      shards[i] = lease.shard();
      epochs[i++] = lease.epoch();
    }
    return Tuple.tuple(List.of(shards, epochs));
  }
}
