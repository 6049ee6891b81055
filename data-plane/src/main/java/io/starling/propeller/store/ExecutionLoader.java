package io.starling.propeller.store;

import io.starling.proto.Phases;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.round.ExecutionState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads executions and their nodes back into {@link ExecutionState} (not yet initialized: the
 * propeller does that, knowing which attempts still run in it): new executions, start-up and
 * recovery. Loads asked for while others run are batched: one query for the executions and
 * one for their nodes, sent together, whether the batch holds one execution or hundreds (a
 * burst of creates, or a new shard owner resuming everything).
 */
final class ExecutionLoader {

  private static final String FAILED_NODES =
      Phases.sql(NodeExecution.Phase.FAILED, NodeExecution.Phase.TIMED_OUT);

  /** Executions per batch: bounds the memory of one batch's rows. */
  static final int MAX_BATCH = 256;
  /** Batches in flight at once. */
  static final int MAX_CONCURRENT = 2;

  private static final String EXECUTIONS = """
      SELECT id, project, domain, name, shard, workflow_id, max_parallelism, inputs, phase,
             version, started_at, abort_requested_at
        FROM executions WHERE id = ANY($1)""";
  /**
   * One index lookup per execution. A plain {@code execution_id = ANY($1)} is planned from the
   * column's statistics, and while those are missing or stale (a young database) PostgreSQL
   * picks a scan of the whole table; {@code OFFSET 0} keeps the lateral lookup from being
   * flattened into such a join.
   */
  private static final String NODES = """
      SELECT n.execution_id, n.node_id, n.phase, n.attempts, n.lost_attempts, n.outputs,
             CASE WHEN n.phase IN %s THEN n.error END AS error, n.version, n.subtasks
        FROM unnest($1::bigint[]) AS e(id),
             LATERAL (SELECT * FROM node_executions WHERE execution_id = e.id OFFSET 0) AS n"""
      .formatted(FAILED_NODES);
  private static final String SUBTASK_OUTPUTS = """
      SELECT node_id, subtask, outputs FROM subtask_outputs WHERE execution_id = $1""";
  private static final String ACTIVE = """
      SELECT id, shard, abort_requested_at FROM executions
       WHERE shard = ANY($1) AND phase IN %s
       ORDER BY id""".formatted(Phases.ACTIVE_EXECUTIONS_SQL);

  private final Pool pool;
  private final GraphCache graphs;
  private final Batches<PendingLoad> batches;

  ExecutionLoader(Pool pool, int graphCacheSize) {
    this.pool = pool;
    this.graphs = new GraphCache(pool, graphCacheSize);
    this.batches = new Batches<>(MAX_BATCH, MAX_CONCURRENT, load -> 1, this::loadBatch);
  }

  /**
   * Loads one execution with the committed state of all its nodes; fails with
   * {@link NoSuchElementException} when there is no such execution.
   */
  Future<ExecutionState> load(long executionId) {
    Promise<ExecutionState> promise = Promise.promise();
    batches.add(new PendingLoad(executionId, promise));
    return promise.future();
  }

  private record PendingLoad(long executionId, Promise<ExecutionState> promise) {}

  private Future<Void> loadBatch(List<PendingLoad> batch) {
    Long[] ids = batch.stream().map(PendingLoad::executionId).toArray(Long[]::new);
    Future<Void> loaded = pool.withConnection(connection -> {
      Future<RowSet<Row>> executions = connection.preparedQuery(EXECUTIONS)
          .execute(Tuple.of((Object) ids));
      Future<RowSet<Row>> nodes = connection.preparedQuery(NODES).execute(Tuple.of((Object) ids));
      return Future.all(executions, nodes).map(both -> {
        Map<Long, Row> byId = new HashMap<>();
        executions.result().forEach(row -> byId.put(row.getLong("id"), row));
        Map<Long, List<Row>> nodesById = new HashMap<>();
        nodes.result().forEach(row -> nodesById
            .computeIfAbsent(row.getLong("execution_id"), id -> new ArrayList<>()).add(row));
        for (PendingLoad load : batch) {
          Row row = byId.get(load.executionId());
          if (row == null) {
            load.promise().fail(new NoSuchElementException("no execution " + load.executionId()));
          } else {
            restore(row, nodesById.getOrDefault(load.executionId(), List.of()))
                .onComplete(load.promise());
          }
        }
        return null;
      });
    });
    return loaded.onFailure(e -> batch.forEach(load -> load.promise().tryFail(e)))
        .otherwiseEmpty();
  }

  private Future<ExecutionState> restore(Row row, List<Row> nodes) {
    return graphs.graph(row.getLong("workflow_id")).compose(graph -> {
      ExecutionState state = new ExecutionState(
          row.getLong("id"),
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
      boolean mapsRunning = false;
      for (Row node : nodes) {
        NodeExecution.Phase phase = NodeExecution.Phase.forNumber(node.getShort("phase"));
        byte[] subtasks = Protos.bytes(node.getBuffer("subtasks"));
        state.restoreNode(
            node.getString("node_id"),
            phase,
            node.getInteger("attempts"),
            node.getInteger("lost_attempts"),
            Protos.parse(LiteralMap.parser(), node.getBuffer("outputs")),
            Protos.parse(ExecutionError.parser(), node.getBuffer("error")),
            node.getInteger("version"),
            subtasks);
        mapsRunning |= ExecutionState.resumesSubtasks(phase, subtasks);
      }
      return mapsRunning ? restoreSubtaskOutputs(state) : Future.succeededFuture(state);
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
  Future<List<ActiveExecution>> active(Integer[] shards) {
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
