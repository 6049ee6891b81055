package io.starling.propeller.store;

import io.starling.ownership.LeaseTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.starling.ownership.ShardLease;
import io.starling.propeller.round.RoundResult;
import io.starling.propeller.round.Rows;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fencing and optimistic concurrency of the group-commit writer, against PostgreSQL. */
class StateWriterIT {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private DatabaseOptions options;
  private Vertx vertx;
  private Pool pool;
  private StateWriter writer;
  private LeaseTable leases;

  @BeforeEach
  void start() throws Exception {
    options = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, options);
    writer = new StateWriter(pool, 1000, 1, rows -> { });
    leases = new LeaseTable(pool, Clock.systemUTC(), LeaseTable.PROPELLER);
    sql("INSERT INTO workflows (id, project, domain, name, version, spec, closure, created_at)"
        + " VALUES (1, 'p', 'd', 'w', 'v1', '', '', now())");
    sql("INSERT INTO launch_plans (id, project, domain, name, version, workflow_id, spec, state,"
        + " created_at, updated_at) VALUES (1, 'p', 'd', 'l', 'v1', 1, '', 0, now(), now())");
    for (int id = 1; id <= 2; id++) {
      sql("INSERT INTO executions (id, project, domain, name, launch_plan_id, workflow_id, shard,"
          + " mode, max_parallelism, inputs, phase, created_at, updated_at) VALUES (" + id
          + ", 'p', 'd', 'e" + id + "', 1, 1, " + id + ", 0, 0, '', 1, now(), now())");
    }
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private static RoundResult running(long executionId, long expectedVersion) {
    return new RoundResult(
        new Rows.ExecutionRow(executionId, (int) executionId, expectedVersion,
            WorkflowExecution.Phase.RUNNING_VALUE, NOW, NOW, null, null, null),
        List.of(new Rows.NodeRow(executionId, "n0", 2, 1, 0, LiteralMap.getDefaultInstance(), null,
            null, 1, NOW, null, null, 0, null)),
        List.of(new Rows.AttemptRow(executionId, "n0", 0, 2, null, NOW, null)),
        List.of(), List.of(), List.of(), List.of(), -1);
  }

  private ShardLease lease(int shard, String owner) {
    return leases.acquire(List.of(shard), owner).await().get(0);
  }

  @Test
  void aWriteWithTheCurrentLeaseAndVersionCommitsEveryRow() throws Exception {
    writer.write(lease(1, "a"), running(1, 0)).await();

    assertThat(query("SELECT phase, version FROM executions WHERE id = 1")).isEqualTo("2,1");
    assertThat(query("SELECT count(*) FROM node_executions WHERE execution_id = 1")).isEqualTo("1");
    assertThat(query("SELECT count(*) FROM task_executions WHERE execution_id = 1")).isEqualTo("1");
  }

  @Test
  void aReplicaWhoseShardWasTakenOverCannotWrite() throws Exception {
    ShardLease stale = lease(1, "a");
    lease(1, "b");

    assertThatThrownBy(() -> writer.write(stale, running(1, 0)).await())
        .isInstanceOfSatisfying(ShardLostException.class,
            lost -> assertThat(lost.lease()).isEqualTo(stale));
    assertThat(query("SELECT phase, version FROM executions WHERE id = 1")).isEqualTo("1,0");
    assertThat(query("SELECT count(*) FROM node_executions")).isEqualTo("0");
  }

  @Test
  void aBatchWithOneShardAtTwoEpochsCommitsOnlyTheRoundOfTheCurrentOne() throws Exception {
    ShardLease old = lease(1, "a");
    ShardLease current = lease(1, "a");
    sql("UPDATE executions SET shard = 1 WHERE id = 2");

    Future<Void> refused = writer.write(old, running(1, 0));
    Future<Void> written = writer.write(current, running(2, 0));

    assertThatThrownBy(refused::await).isInstanceOf(ShardLostException.class);
    written.await();
    assertThat(query("SELECT count(*) FROM node_executions WHERE execution_id = 1")).isEqualTo("0");
    assertThat(query("SELECT count(*) FROM node_executions WHERE execution_id = 2")).isEqualTo("1");
  }

  @Test
  void aStaleVersionIsRefusedWhileTheOtherRoundsOfTheBatchCommit() throws Exception {
    ShardLease one = lease(1, "a");
    ShardLease two = lease(2, "a");
    sql("UPDATE executions SET version = 7 WHERE id = 1");

    Future<Void> stale = writer.write(one, running(1, 0));
    Future<Void> fresh = writer.write(two, running(2, 0));

    assertThatThrownBy(stale::await).isInstanceOf(StaleStateException.class)
        .hasMessageContaining("version");
    fresh.await();
    assertThat(query("SELECT count(*) FROM node_executions WHERE execution_id = 1")).isEqualTo("0");
    assertThat(query("SELECT count(*) FROM node_executions WHERE execution_id = 2")).isEqualTo("1");
  }

  private void sql(String statement) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private String query(String statement) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(statement)) {
      rs.next();
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.append(i > 1 ? "," : "").append(rs.getString(i));
      }
      return row.toString();
    }
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
  }
}
