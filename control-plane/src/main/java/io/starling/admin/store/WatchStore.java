package io.starling.admin.store;

import io.starling.proto.Phases;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of WatchExecution: the cheap columns of an execution's row and of its node rows,
 * polled often. Errors are read only for failed phases, a map node's packed subtasks only when
 * its row changed since the caller last saw it.
 */
public final class WatchStore {

  private static final String EXECUTION = """
      SELECT phase, version, updated_at,
             CASE WHEN phase IN %s THEN error END AS error
        FROM executions WHERE id = $1""".formatted(Phases.sql(WorkflowExecution.Phase.FAILED,
          WorkflowExecution.Phase.ABORTED, WorkflowExecution.Phase.TIMED_OUT));

  /** $2, $3: the map nodes the caller has seen and their row versions. */
  private static final String NODES = """
      SELECT n.node_id, n.phase, n.attempts, n.version, n.updated_at,
             CASE WHEN n.phase IN %s THEN n.error END AS error,
             n.subtasks IS NOT NULL AS is_map,
             CASE WHEN n.version IS DISTINCT FROM k.version THEN n.subtasks END AS subtasks
        FROM node_executions n
        LEFT JOIN unnest($2::text[], $3::int[]) AS k(node_id, version) ON k.node_id = n.node_id
       WHERE n.execution_id = $1""".formatted(Phases.sql(NodeExecution.Phase.FAILED,
          NodeExecution.Phase.TIMED_OUT, NodeExecution.Phase.RETRYABLE_FAILURE));

  /** The watched columns of an executions row; {@code error} only when it ended unsuccessfully. */
  public record ExecutionRow(int phase, long version, Instant updatedAt, byte[] error) {}

  /**
   * The watched columns of a node_executions row. {@code error} only in FAILED, TIMED_OUT and
   * RETRYABLE_FAILURE; {@code subtasks} (packed) only for a map node whose version differs from
   * the one the caller gave, else null while {@code map} says whether it is one.
   */
  public record NodeRow(String nodeId, int phase, int attempts, int version, Instant updatedAt,
      byte[] error, boolean map, byte[] subtasks) {}

  private final Pool pool;

  public WatchStore(Pool pool) {
    this.pool = pool;
  }

  /** Empty when the row is gone. */
  public Future<Optional<ExecutionRow>> execution(long executionRowId) {
    return pool.preparedQuery(EXECUTION).execute(Tuple.of(executionRowId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new ExecutionRow(row.getShort("phase"), row.getLong("version"),
          Rows.instant(row.getOffsetDateTime("updated_at")), Rows.bytes(row.getBuffer("error"))));
    });
  }

  /** Every node row of an execution; {@code seenMaps}: map node id to the version last seen. */
  public Future<List<NodeRow>> nodes(long executionRowId, Map<String, Integer> seenMaps) {
    String[] ids = seenMaps.keySet().toArray(String[]::new);
    Integer[] versions = new Integer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      versions[i] = seenMaps.get(ids[i]);
    }
    return pool.preparedQuery(NODES).execute(Tuple.of(executionRowId, ids, versions)).map(rows -> {
      List<NodeRow> nodes = new ArrayList<>(rows.size());
      for (Row row : rows) {
        nodes.add(new NodeRow(row.getString("node_id"), row.getShort("phase"),
            row.getInteger("attempts"), row.getInteger("version"),
            Rows.instant(row.getOffsetDateTime("updated_at")), Rows.bytes(row.getBuffer("error")),
            row.getBoolean("is_map"), Rows.bytes(row.getBuffer("subtasks"))));
      }
      return nodes;
    });
  }
}
