package io.starling.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.ownership.LeaseTable;
import io.starling.ownership.ShardLease;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots are written only under the shard's current lease and change counter. */
class ScheduleStoreIT {

  private static final Instant TAKEN = Instant.parse("2026-12-02T10:00:00Z");

  private Vertx vertx;
  private Pool pool;
  private ScheduleStore store;
  private LeaseTable leases;

  @BeforeEach
  void start() {
    DatabaseOptions database = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, database);
    store = new ScheduleStore(pool);
    leases = new LeaseTable(pool, Clock.systemUTC(), LeaseTable.SCHEDULER);
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private static byte[] snapshot(Instant watermark) {
    TreeMap<Long, Instant> watermarks = new TreeMap<>();
    watermarks.put(42L, watermark);
    return Snapshot.encode(TAKEN, watermarks);
  }

  @Test
  void aSnapshotIsWrittenUnderTheCurrentLeaseAndCounterOnly() {
    ShardLease first = leases.acquire(List.of(7), "first").await().get(0);

    Map<Integer, Boolean> written = store.write(List.of(new ScheduleStore.ShardSnapshot(first, 0,
        snapshot(TAKEN.minusSeconds(60)))), TAKEN).await();
    assertThat(written).containsEntry(7, true);
    assertThat(store.shards(List.of(7)).await().get(7).snapshot().watermark(42))
        .isEqualTo(TAKEN.minusSeconds(60));

    pool.query("UPDATE schedule_shards SET changes = changes + 1").execute().await();
    Map<Integer, Boolean> stale = store.write(List.of(new ScheduleStore.ShardSnapshot(first, 0,
        snapshot(null))), TAKEN.plusSeconds(10)).await();
    assertThat(stale).as("held, but an activation is not loaded yet").containsEntry(7, false);
    assertThat(store.shards(List.of(7)).await().get(7).snapshot().watermark(42))
        .isEqualTo(TAKEN.minusSeconds(60));

    ShardLease second = leases.acquire(List.of(7), "second").await().get(0);
    Map<Integer, Boolean> fenced = store.write(List.of(new ScheduleStore.ShardSnapshot(first, 1,
        snapshot(null))), TAKEN.plusSeconds(20)).await();
    assertThat(fenced).as("the lease moved to another replica").isEmpty();
    assertThat(store.write(List.of(new ScheduleStore.ShardSnapshot(second, 1, snapshot(null))),
        TAKEN.plusSeconds(30)).await()).containsEntry(7, true);
  }
}
