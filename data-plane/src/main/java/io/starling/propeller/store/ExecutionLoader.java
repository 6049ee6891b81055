package io.starling.propeller.store;

import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.round.ExecutionState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** Reads executions and their nodes back into {@link ExecutionState}: start-up and recovery. */
public final class ExecutionLoader {

  private static final String EXECUTION = """
      SELECT project, domain, name, shard, workflow_id, max_parallelism, inputs, phase, version,
             started_at, abort_requested_at
        FROM executions WHERE id = $1""";
  private static final String NODES = """
      SELECT node_id, phase, attempts, outputs, version, subtasks
        FROM node_executions WHERE execution_id = $1""";
  private static final String SUBTASK_OUTPUTS = """
      SELECT node_id, subtask, outputs FROM subtask_outputs WHERE execution_id = $1""";
  private static final String ACTIVE = """
      SELECT id, shard, abort_requested_at FROM executions
       WHERE shard = ANY($1) AND phase IN (0, 1, 2, 3, 5, 9)
       ORDER BY id""";

  private final Pool pool;
  private final GraphCache graphs;

  public ExecutionLoader(Pool pool, int graphCacheSize) {
    this.pool = pool;
    this.graphs = new GraphCache(pool, graphCacheSize);
  }

  /** Loads one execution with the committed state of all its nodes. */
  public Future<ExecutionState> load(long executionId) {
    return pool.preparedQuery(EXECUTION).execute(Tuple.of(executionId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new NoSuchElementException("no execution " + executionId));
      }
      Row row = rows.iterator().next();
      return graphs.graph(row.getLong("workflow_id")).compose(graph -> {
        ExecutionState state = new ExecutionState(
            executionId,
            row.getString("project") + "/" + row.getString("domain") + "/" + row.getString("name"),
            row.getInteger("shard"),
            graph,
            Protos.parse(LiteralMap.parser(), row.getBuffer("inputs")),
            row.getInteger("max_parallelism"),
            row.getLong("version"),
            WorkflowExecution.Phase.forNumber(row.getShort("phase")),
            Protos.instant(row.getOffsetDateTime("started_at")));
        if (row.getOffsetDateTime("abort_requested_at") != null) {
          state.requestAbort();
        }
        return pool.preparedQuery(NODES).execute(Tuple.of(executionId)).compose(nodes -> {
          boolean mapsRunning = false;
          for (Row node : nodes) {
            NodeExecution.Phase phase = NodeExecution.Phase.forNumber(node.getShort("phase"));
            byte[] subtasks = Protos.bytes(node.getBuffer("subtasks"));
            state.restoreNode(
                node.getString("node_id"),
                phase,
                node.getInteger("attempts"),
                Protos.parse(LiteralMap.parser(), node.getBuffer("outputs")),
                node.getInteger("version"),
                subtasks);
            mapsRunning |= ExecutionState.resumesSubtasks(phase, subtasks);
          }
          return mapsRunning ? restoreSubtaskOutputs(state) : Future.succeededFuture(state);
        }).map(restored -> {
          restored.initialize();
          return restored;
        });
      });
    });
  }

  private Future<ExecutionState> restoreSubtaskOutputs(ExecutionState state) {
    return pool.preparedQuery(SUBTASK_OUTPUTS).execute(Tuple.of(state.id())).map(rows -> {
      for (Row row : rows) {
        state.restoreSubtaskOutputs(row.getString("node_id"), row.getInteger("subtask"),
            Protos.parse(LiteralMap.parser(), row.getBuffer("outputs")));
      }
      return state;
    });
  }

  /** Every non-terminal execution in {@code shards}. */
  public Future<List<ActiveExecution>> active(Integer[] shards) {
    return pool.preparedQuery(ACTIVE).execute(Tuple.of((Object) shards)).map(rows -> {
      List<ActiveExecution> active = new ArrayList<>(rows.size());
      for (Row row : rows) {
        active.add(new ActiveExecution(
            row.getLong("id"),
            row.getInteger("shard"),
            row.getOffsetDateTime("abort_requested_at") != null));
      }
      return active;
    });
  }
}
