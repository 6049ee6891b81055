package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.store.PropellerStore;
import io.starling.time.TimeSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Loads asked for together share their queries; each execution gets its own rows back. */
class ExecutionLoaderIT {

  private Vertx vertx;
  private Pool pool;
  private Database database;

  @BeforeEach
  void start() {
    DatabaseOptions options = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = io.starling.schema.Database.pool(vertx, options);
    database = new Database(options);
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void manyLoadsAtOnceEachRestoreTheirOwnExecution() throws Exception {
    long workflow = database.insertWorkflow(
        Workflows.named("fan").fanOut(2, Workflows.noop()).build());
    long first = database.insertExecution(workflow, "e0", 0, 0, LiteralMap.getDefaultInstance());
    database.execute("""
        INSERT INTO executions (project, domain, name, launch_plan_id, workflow_id, shard, mode,
                                max_parallelism, inputs, phase, created_at, updated_at)
        SELECT 'p', 'd', 'e' || i, launch_plan_id, workflow_id, i % 4, 0, 0, inputs, 1, now(),
               now()
          FROM executions, generate_series(1, 599) AS i WHERE id = """ + first);
    List<Long> ids = new ArrayList<>(); // more than one batch
    for (long id = first; id < first + 600; id++) {
      ids.add(id);
    }
    long resumed = first + 417;
    database.execute("UPDATE executions SET phase = 2, version = 3, started_at = now() WHERE id = "
        + resumed);
    database.execute("INSERT INTO node_executions (execution_id, node_id, phase, attempts, version,"
        + " updated_at) VALUES (" + resumed + ", 'n0', 3, 1, 2, now()), (" + resumed
        + ", 'n1', 3, 2, 3, now())");
    PropellerStore loader = PropellerStore.postgres(pool, 1000, 1, 8, TimeSource.vertx(vertx),
        new PrometheusRegistry());

    List<Future<ExecutionState>> loads = new ArrayList<>();
    ids.forEach(id -> loads.add(loader.load(id)));
    Future<ExecutionState> missing = loader.load(Long.MAX_VALUE);

    for (int i = 0; i < ids.size(); i++) {
      ExecutionState state = loads.get(i).await();
      assertThat(state.id()).isEqualTo(ids.get(i));
      int number = Integer.parseInt(state.name().substring("p/d/e".length()));
      assertThat(state.shard()).isEqualTo(number % 4);
      boolean isResumed = state.id() == resumed;
      assertThat(state.phase()).isEqualTo(isResumed
          ? WorkflowExecution.Phase.RUNNING : WorkflowExecution.Phase.QUEUED);
      assertThat(state.nodePhase("n0")).isEqualTo(isResumed
          ? NodeExecution.Phase.SUCCEEDED : NodeExecution.Phase.UNDEFINED);
      assertThat(state.nodePhase("n1")).isEqualTo(isResumed
          ? NodeExecution.Phase.SUCCEEDED : NodeExecution.Phase.UNDEFINED);
    }
    assertThatThrownBy(missing::await).isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("no execution " + Long.MAX_VALUE);
  }
}
