package io.starling.admin.store;

import io.starling.admin.AdminException;
import io.starling.proto.Phases;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Executions as the admin sees them. The admin inserts rows and records abort requests; the
 * propeller owns phase, outputs and timestamps (see the schema's comments).
 */
public final class ExecutionStore {

  /** Phases after which nothing changes: SUCCEEDED, FAILED, ABORTED, TIMED_OUT. */
  static final String TERMINAL = Phases.TERMINAL_EXECUTIONS_SQL;

  /** The other phases, as the partial indexes of active executions spell them. */
  private static final String ACTIVE = Phases.ACTIVE_EXECUTIONS_SQL;

  private static final String LIST = """
       WHERE e.project = $1 AND e.domain = $2
         AND ($3 = '' OR lp.name = $3)
         AND (cardinality($4::smallint[]) = 0 OR e.phase = ANY($4))
         AND ($5 = 0 OR e.id < $5)""";
  private static final String ORDER = " ORDER BY e.id DESC LIMIT $6";

  private static final String SELECT = """
      SELECT e.*, lp.project AS lp_project, lp.domain AS lp_domain, lp.name AS lp_name,
             lp.version AS lp_version, w.project AS w_project, w.domain AS w_domain,
             w.name AS w_name, w.version AS w_version, r.project AS r_project,
             r.domain AS r_domain, r.name AS r_name, p.name AS p_name
        FROM executions e
        JOIN launch_plans lp ON lp.id = e.launch_plan_id
        JOIN workflows w ON w.id = e.workflow_id
        LEFT JOIN executions r ON r.id = e.reference_execution
        LEFT JOIN executions p ON p.id = e.parent_execution
      """;

  /** The columns of a NodeRecord. */
  private static final String NODE_COLUMNS = """
      SELECT node_id, phase, attempts, outputs, error, started_at, updated_at, ended_at,
             subtasks, cache_status, branch_taken
        FROM node_executions""";

  private final Pool pool;

  public ExecutionStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a QUEUED execution; ALREADY_EXISTS when the name is taken. Returns the row id. */
  public Future<Long> insert(NewExecution execution) {
    return insert(pool, execution);
  }

  /**
   * Inserts a scheduled execution if its launch plan version is still active, checked in the
   * same statement; empty when it is not. ALREADY_EXISTS when the name is taken.
   */
  public Future<Optional<Long>> insertScheduled(NewExecution execution) {
    return insertRow(pool, execution);
  }

  /**
   * Inserts a QUEUED execution that recovers {@code originalRowId} and, in the same transaction,
   * copies every node of the original that succeeded (or was itself recovered) as a RECOVERED
   * node with its inputs, outputs, attempts and subtasks, version 1 and {@code execution.now()}
   * as its times. ALREADY_EXISTS when the name is taken. Returns the new row id.
   */
  public Future<Long> insertRecovery(NewExecution execution, long originalRowId) {
    return pool.withTransaction(connection -> insert(connection, execution).compose(rowId ->
        connection.preparedQuery("""
                INSERT INTO node_executions (execution_id, node_id, phase, attempts, inputs,
                                             outputs, error, version, started_at, updated_at,
                                             ended_at, subtasks, cache_status, branch_taken)
                SELECT $1, node_id, $3, attempts, inputs, outputs, NULL, 1, $4, $4, $4, subtasks,
                       cache_status, branch_taken
                  FROM node_executions
                 WHERE execution_id = $2 AND phase IN ($5, $3)""")
            .execute(Tuple.of(rowId, originalRowId, (short) NodeExecution.Phase.RECOVERED_VALUE,
                Rows.time(execution.now()), (short) NodeExecution.Phase.SUCCEEDED_VALUE))
            .map(copied -> rowId)));
  }

  private static Future<Long> insert(SqlClient client, NewExecution execution) {
    return insertRow(client, execution).map(Optional::orElseThrow);
  }

  private static Future<Optional<Long>> insertRow(SqlClient client, NewExecution execution) {
    ExecutionIdentifier id = execution.id();
    return client.preparedQuery("""
            INSERT INTO executions (project, domain, name, launch_plan_id, workflow_id, shard, mode,
                                    reference_execution, max_parallelism, inputs, phase,
                                    created_at, updated_at, parent_execution, parent_node_id,
                                    nesting, scheduled_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, $12, $13, $14, $15
             WHERE $15::timestamptz IS NULL
                OR EXISTS (SELECT 1 FROM launch_plans WHERE id = $4 AND state = 1)
            RETURNING id""")
        .execute(Tuple.tuple(List.of(id.getProject(), id.getDomain(), id.getName(),
            execution.launchPlanRowId(), execution.workflowRowId(), execution.shard(),
            (short) execution.mode())).addValue(execution.referenceRowId() == 0 ? null
            : execution.referenceRowId()).addValue(execution.maxParallelism())
            .addValue(Rows.buffer(execution.inputs())).addValue(Rows.time(execution.now()))
            .addValue(execution.parentRowId() == 0 ? null : execution.parentRowId())
            .addValue(execution.parentNodeId()).addValue(execution.nesting())
            .addValue(execution.scheduledAt() == null ? null : Rows.time(execution.scheduledAt())))
        .map(rows -> rows.size() == 0 ? Optional.<Long>empty()
            : Optional.of(rows.iterator().next().getLong(0)))
        .recover(error -> Future.failedFuture(isUniqueViolation(error)
            ? AdminException.alreadyExists("execution " + id.getProject() + "/" + id.getDomain()
                + "/" + id.getName() + " already exists")
            : error));
  }

  /** The execution with this row id; empty when there is none. */
  public Future<Optional<ExecutionRecord>> byRowId(long rowId) {
    return pool.preparedQuery(SELECT + " WHERE e.id = $1").execute(Tuple.of(rowId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next())));
  }

  /** The executions of these row ids that exist. */
  public Future<List<ExecutionRecord>> byRowIds(Long[] rowIds) {
    return pool.preparedQuery(SELECT + " WHERE e.id = ANY($1)").execute(Tuple.of((Object) rowIds))
        .map(rows -> {
          List<ExecutionRecord> found = new ArrayList<>(rows.size());
          rows.forEach(row -> found.add(record(row)));
          return found;
        });
  }

  public Future<Optional<ExecutionRecord>> find(ExecutionIdentifier id) {
    return pool.preparedQuery(SELECT + " WHERE e.project = $1 AND e.domain = $2 AND e.name = $3")
        .execute(Tuple.of(id.getProject(), id.getDomain(), id.getName()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next())));
  }

  /**
   * Newest first; {@code phases} empty means all; {@code launchPlanName} empty means all. When
   * every phase asked for is an active one, the query names the active phases literally too, so
   * that PostgreSQL walks the index of active executions instead of every execution of the
   * domain (a prepared statement's generic plan cannot see that in the parameter).
   */
  public Future<List<ExecutionRecord>> list(String project, String domain, String launchPlanName,
      Short[] phases, long beforeRowId, int limit) {
    boolean activeOnly = phases.length > 0 && Arrays.stream(phases)
        .map(WorkflowExecution.Phase::forNumber)
        .allMatch(phase -> phase != null && !Phases.isTerminal(phase));
    String sql = SELECT + LIST + (activeOnly ? " AND e.phase IN " + ACTIVE : "") + ORDER;
    return pool.preparedQuery(sql)
        .execute(Tuple.tuple(List.of(project, domain, launchPlanName, phases, beforeRowId, limit)))
        .map(rows -> {
          List<ExecutionRecord> page = new ArrayList<>();
          rows.forEach(row -> page.add(record(row)));
          return page;
        });
  }

  /** An abort request that was recorded. */
  public record AbortRecorded(long rowId, int shard) {}

  /**
   * Records an abort request of a non-terminal execution that has none yet. Empty when nothing
   * changed (the caller tells why).
   */
  public Future<Optional<AbortRecorded>> requestAbort(ExecutionIdentifier id, String cause, Instant now) {
    return pool.preparedQuery("UPDATE executions SET abort_cause = $4, abort_requested_at = $5"
            + " WHERE project = $1 AND domain = $2 AND name = $3 AND phase NOT IN " + TERMINAL
            + " AND abort_requested_at IS NULL RETURNING id, shard")
        .execute(Tuple.of(id.getProject(), id.getDomain(), id.getName(), cause, Rows.time(now)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new AbortRecorded(
            rows.iterator().next().getLong(0), rows.iterator().next().getInteger(1))));
  }

  /** Nodes ordered by id, after {@code afterNodeId} ("" for the first page). */
  public Future<List<NodeRecord>> nodes(long executionRowId, String afterNodeId, int limit) {
    return pool.preparedQuery(NODE_COLUMNS
            + " WHERE execution_id = $1 AND node_id > $2 ORDER BY node_id LIMIT $3")
        .execute(Tuple.of(executionRowId, afterNodeId, limit))
        .map(rows -> {
          List<NodeRecord> page = new ArrayList<>();
          for (Row row : rows) {
            page.add(node(row));
          }
          return page;
        });
  }

  /** Node {@code nodeId} of an execution; empty until it has started. */
  public Future<Optional<NodeRecord>> node(long executionRowId, String nodeId) {
    return pool.preparedQuery(NODE_COLUMNS + " WHERE execution_id = $1 AND node_id = $2")
        .execute(Tuple.of(executionRowId, nodeId))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(node(rows.iterator().next())));
  }

  private static NodeRecord node(Row row) {
    return new NodeRecord(row.getString("node_id"), row.getShort("phase"),
        row.getInteger("attempts"), Rows.bytes(row.getBuffer("outputs")),
        Rows.bytes(row.getBuffer("error")), Rows.instant(row.getOffsetDateTime("started_at")),
        Rows.instant(row.getOffsetDateTime("updated_at")),
        Rows.instant(row.getOffsetDateTime("ended_at")),
        Rows.bytes(row.getBuffer("subtasks")), row.getShort("cache_status"),
        row.getString("branch_taken"));
  }

  /** The case a branch node took; empty when the node has no row or took none yet. */
  public Future<Optional<String>> branchTaken(long executionRowId, String nodeId) {
    return pool.preparedQuery(
            "SELECT branch_taken FROM node_executions WHERE execution_id = $1 AND node_id = $2")
        .execute(Tuple.of(executionRowId, nodeId))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.ofNullable(rows.iterator().next().getString(0)));
  }

  /** Attempts of one node ordered by number, after {@code afterAttempt} (-1 for the first page). */
  public Future<List<AttemptRecord>> attempts(long executionRowId, String nodeId, int afterAttempt,
      int limit) {
    return pool.preparedQuery("""
            SELECT attempt, phase, error, started_at, updated_at, ended_at FROM task_executions
             WHERE execution_id = $1 AND node_id = $2 AND attempt > $3
             ORDER BY attempt LIMIT $4""")
        .execute(Tuple.of(executionRowId, nodeId, afterAttempt, limit))
        .map(rows -> {
          List<AttemptRecord> page = new ArrayList<>();
          for (Row row : rows) {
            page.add(new AttemptRecord(row.getInteger("attempt"), row.getShort("phase"),
                Rows.bytes(row.getBuffer("error")), Rows.instant(row.getOffsetDateTime("started_at")),
                Rows.instant(row.getOffsetDateTime("updated_at")),
                Rows.instant(row.getOffsetDateTime("ended_at"))));
          }
          return page;
        });
  }

  private static boolean isUniqueViolation(Throwable error) {
    return error instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  private static ExecutionRecord record(Row row) {
    String referenceName = row.getString("r_name");
    return new ExecutionRecord(
        row.getLong("id"),
        ExecutionIdentifier.newBuilder().setProject(row.getString("project"))
            .setDomain(row.getString("domain")).setName(row.getString("name")).build(),
        id(ResourceType.LAUNCH_PLAN, row, "lp_"),
        id(ResourceType.WORKFLOW, row, "w_"),
        row.getLong("launch_plan_id"),
        row.getLong("workflow_id"),
        row.getInteger("shard"),
        row.getShort("mode"),
        referenceName == null ? null : ExecutionIdentifier.newBuilder()
            .setProject(row.getString("r_project")).setDomain(row.getString("r_domain"))
            .setName(referenceName).build(),
        row.getInteger("max_parallelism"),
        Rows.bytes(row.getBuffer("inputs")),
        row.getShort("phase"),
        Rows.bytes(row.getBuffer("outputs")),
        Rows.bytes(row.getBuffer("error")),
        row.getString("abort_cause"),
        Rows.instant(row.getOffsetDateTime("created_at")),
        Rows.instant(row.getOffsetDateTime("started_at")),
        Rows.instant(row.getOffsetDateTime("updated_at")),
        Rows.instant(row.getOffsetDateTime("ended_at")),
        row.getLong("parent_execution") == null ? 0 : row.getLong("parent_execution"),
        row.getString("p_name") == null ? null : ExecutionIdentifier.newBuilder()
            .setProject(row.getString("project")).setDomain(row.getString("domain"))
            .setName(row.getString("p_name")).build(),
        row.getString("parent_node_id"),
        row.getInteger("nesting"),
        Rows.instant(row.getOffsetDateTime("scheduled_at")));
  }

  private static Identifier id(ResourceType type, Row row, String prefix) {
    return Identifier.newBuilder().setResourceType(type)
        .setProject(row.getString(prefix + "project")).setDomain(row.getString(prefix + "domain"))
        .setName(row.getString(prefix + "name")).setVersion(row.getString(prefix + "version")).build();
  }
}
