package io.starling.propeller.store;

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

  private static final List<Check> CHECKS = List.of(
      new Check("a node has two successful attempts", """
          SELECT execution_id || '/' || node_id FROM task_executions WHERE phase = 3
           GROUP BY execution_id, node_id HAVING count(*) > 1"""),
      new Check("a SUCCEEDED node has no successful attempt", """
          SELECT n.execution_id || '/' || n.node_id FROM node_executions n
           WHERE n.phase = 3 AND NOT EXISTS (SELECT 1 FROM task_executions t
             WHERE t.execution_id = n.execution_id AND t.node_id = n.node_id AND t.phase = 3)"""),
      new Check("a SUCCEEDED execution has a node that did not succeed", """
          SELECT DISTINCT e.project || '/' || e.domain || '/' || e.name FROM executions e
            JOIN node_executions n ON n.execution_id = e.id
           WHERE e.phase = 4 AND n.phase NOT IN (3, 9)"""),
      new Check("a finished execution has a node still running", """
          SELECT DISTINCT e.project || '/' || e.domain || '/' || e.name FROM executions e
            JOIN node_executions n ON n.execution_id = e.id
           WHERE e.phase IN (4, 6, 7, 8) AND n.phase IN (1, 2, 8)"""),
      new Check("a running execution's shard has no owner", """
          SELECT e.project || '/' || e.domain || '/' || e.name FROM executions e
           WHERE e.phase IN (0, 1, 2, 3, 5, 9)
             AND NOT EXISTS (SELECT 1 FROM shard_leases l WHERE l.shard = e.shard)"""));

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
