package io.starling.propeller.store;

import io.starling.proto.Phases;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the invariants of the stored execution state; the load harness and the failure tests
 * run it at the end. Each check is a query for rows that break a rule; an empty list means the
 * state is consistent.
 */
public final class InvariantChecker {

  private static final String ATTEMPT_SUCCEEDED = Phases.sql(TaskExecution.Phase.SUCCEEDED);
  private static final String NODE_SUCCEEDED = Phases.sql(NodeExecution.Phase.SUCCEEDED);
  private static final String NODE_SUCCESSFUL =
      Phases.sql(NodeExecution.Phase.SUCCEEDED, NodeExecution.Phase.RECOVERED);
  private static final String NODE_UNFINISHED = Phases.sql(NodeExecution.Phase.QUEUED,
      NodeExecution.Phase.RUNNING, NodeExecution.Phase.RETRYABLE_FAILURE);
  private static final String EXECUTION_SUCCEEDED = Phases.sql(WorkflowExecution.Phase.SUCCEEDED);

  private static final List<Check> CHECKS = List.of(
      new Check("a node has two successful attempts", """
          SELECT execution_id || '/' || node_id FROM task_executions WHERE phase IN %s
           GROUP BY execution_id, node_id HAVING count(*) > 1""".formatted(ATTEMPT_SUCCEEDED)),
      new Check("a SUCCEEDED node has no successful attempt", """
          SELECT n.execution_id || '/' || n.node_id FROM node_executions n
           WHERE n.phase IN %s AND NOT EXISTS (SELECT 1 FROM task_executions t
             WHERE t.execution_id = n.execution_id AND t.node_id = n.node_id AND t.phase IN %s)"""
          .formatted(NODE_SUCCEEDED, ATTEMPT_SUCCEEDED)),
      new Check("a SUCCEEDED execution has a node that did not succeed", """
          SELECT DISTINCT e.project || '/' || e.domain || '/' || e.name FROM executions e
            JOIN node_executions n ON n.execution_id = e.id
           WHERE e.phase IN %s AND n.phase NOT IN %s"""
          .formatted(EXECUTION_SUCCEEDED, NODE_SUCCESSFUL)),
      new Check("a finished execution has a node still running", """
          SELECT DISTINCT e.project || '/' || e.domain || '/' || e.name FROM executions e
            JOIN node_executions n ON n.execution_id = e.id
           WHERE e.phase IN %s AND n.phase IN %s"""
          .formatted(Phases.TERMINAL_EXECUTIONS_SQL, NODE_UNFINISHED)),
      new Check("a running execution's shard has no owner", """
          SELECT e.project || '/' || e.domain || '/' || e.name FROM executions e
           WHERE e.phase IN %s
             AND NOT EXISTS (SELECT 1 FROM shard_leases l WHERE l.shard = e.shard)"""
          .formatted(Phases.ACTIVE_EXECUTIONS_SQL)));

  private final Pool pool;

  public InvariantChecker(Pool pool) {
    this.pool = pool;
  }

  /** Every violation found, as "rule: subject"; empty when the state is consistent. */
  public Future<List<String>> violations() {
    List<String> violations = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Check check : CHECKS) {
      chain = chain.compose(ignored -> pool.query(check.sql()).execute().map(rows -> {
        for (Row row : rows) {
          violations.add(check.rule() + ": " + row.getString(0));
        }
        return null;
      }));
    }
    return chain.map(ignored -> violations);
  }

  private record Check(String rule, String sql) {}
}
