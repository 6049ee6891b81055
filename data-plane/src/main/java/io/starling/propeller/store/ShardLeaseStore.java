package io.starling.propeller.store;

import io.starling.propeller.ownership.ShardLease;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Takes shards over in {@code shard_leases}: one statement bumps the epoch of each. */
final class ShardLeaseStore {

  private static final String ACQUIRE = """
      INSERT INTO shard_leases (shard, owner, epoch, acquired_at)
      SELECT s, $2, 1, $3 FROM unnest($1::int[]) AS s
      ON CONFLICT (shard) DO UPDATE
        SET owner = excluded.owner, epoch = shard_leases.epoch + 1, acquired_at = excluded.acquired_at
      RETURNING shard, epoch""";

  private final Pool pool;
  private final Clock clock;

  ShardLeaseStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * Takes {@code shards} over for {@code owner}. A write of the previous owner that is in
   * flight holds a share lock on the lease row, so the takeover waits for it to commit, and
   * every write of the previous owner after the takeover fails its epoch check.
   */
  Future<List<ShardLease>> acquire(Collection<Integer> shards, String owner) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return pool.preparedQuery(ACQUIRE)
        .execute(Tuple.of(shards.toArray(new Integer[0]), owner, now))
        .map(rows -> {
          List<ShardLease> leases = new ArrayList<>(rows.size());
          for (Row row : rows) {
            leases.add(new ShardLease(row.getInteger("shard"), row.getLong("epoch"), owner));
          }
          return leases;
        });
  }
}
