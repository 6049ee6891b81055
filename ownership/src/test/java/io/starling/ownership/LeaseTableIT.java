package io.starling.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Renewing, releasing and reclaiming shard leases, against PostgreSQL. */
class LeaseTableIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private DatabaseOptions options;
  private Vertx vertx;
  private Pool pool;
  private LeaseTable leases;

  @BeforeEach
  void start() {
    options = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, options);
    leases = new LeaseTable(pool, Clock.systemUTC(), LeaseTable.PROPELLER);
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.user(),
        options.password()); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  @Timeout(30)
  void aWriterThatWentSilentMidTransactionDoesNotKeepItsShardFromTheNextOwner() {
    ShardLease held = leases.acquire(List.of(1), "a").await().get(0);
    Pool silent = Database.pool(vertx, options.idleInTransactionTimeout(Duration.ofMillis(300)));
    try {
      // A's write fenced its lease (a share lock on the row), then A stopped before COMMIT.
      SqlConnection connection = silent.getConnection().await();
      Transaction transaction = connection.begin().await();
      connection.query("SELECT epoch FROM shard_leases WHERE shard = " + held.shard()
          + " FOR SHARE").execute().await();

      ShardLease taken = leases.acquire(List.of(1), "b").await().get(0);

      assertThat(taken.epoch()).isGreaterThan(held.epoch());
      assertThatThrownBy(() -> transaction.commit().await()).as("A's transaction was aborted")
          .isNotNull();
      connection.close();
    } finally {
      silent.close().await();
    }
  }

  @Test
  void onlyTheCurrentLeaseIsRenewed() {
    ShardLease old = leases.acquire(List.of(1, 2), "a").await().get(0);
    ShardLease taken = leases.acquire(List.of(1), "b").await().get(0);

    assertThat(leases.renew(List.of(old)).await()).isEmpty();
    assertThat(leases.renew(List.of(taken)).await()).containsExactly(1);
  }

  @Test
  void aHeldShardIsNotReclaimableAReleasedOrExpiredOneIs() throws Exception {
    List<ShardLease> held = leases.acquire(List.of(1, 2, 3), "a").await();
    assertThat(leases.reclaimable(List.of(1, 2, 3, 4), TIMEOUT).await()).containsExactly(4);

    leases.release(List.of(held.get(0))).await();
    sql("UPDATE shard_leases SET renewed_at = now() - interval '31 seconds' WHERE shard = 2");

    assertThat(leases.reclaimable(List.of(1, 2, 3, 4), TIMEOUT).await())
        .containsExactlyInAnyOrder(1, 2, 4);
    assertThat(leases.renew(List.of(held.get(0))).await()).as("released is not renewed").isEmpty();
  }

  @Test
  void aReleaseOfAnOlderLeaseLeavesTheCurrentOneHeld() {
    ShardLease old = leases.acquire(List.of(1), "a").await().get(0);
    leases.acquire(List.of(1), "b").await();

    leases.release(List.of(old)).await();

    assertThat(leases.reclaimable(List.of(1), TIMEOUT).await()).isEmpty();
  }
}
