package io.starling.propeller.store;

import io.starling.propeller.ownership.ShardLease;
import io.starling.propeller.round.Rows;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of one group-commit transaction. Rows of every kind go in as arrays through
 * {@code unnest}, so a transaction is four statements whatever the number of rounds in it:
 * fence the shards, bump the execution versions, upsert the nodes, upsert the attempts; and
 * when map nodes are running, two more: insert subtask outputs, delete those of ended maps.
 *
 * <p>The statements are pipelined: all are sent at once and the fence and version checks are
 * read from their results afterwards. A failed check fails the transaction, which rolls back
 * whatever the other statements wrote; the fence still comes first, so its share lock is held
 * before any row is written.
 */
final class BatchStatements {

  private static final String FENCE = """
      SELECT l.shard FROM shard_leases l
        JOIN unnest($1::int[], $2::bigint[]) AS f(shard, epoch)
          ON l.shard = f.shard AND l.epoch = f.epoch
      FOR SHARE OF l""";

  private static final String EXECUTIONS = """
      UPDATE executions e SET
          phase = u.phase, version = u.version + 1,
          started_at = COALESCE(e.started_at, u.started_at), updated_at = u.updated_at,
          ended_at = u.ended_at, outputs = COALESCE(u.outputs, e.outputs),
          error = COALESCE(u.error, e.error)
        FROM unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::timestamptz[],
                    $5::timestamptz[], $6::timestamptz[], $7::bytea[], $8::bytea[])
          AS u(id, version, phase, started_at, updated_at, ended_at, outputs, error)
       WHERE e.id = u.id AND e.version = u.version
      RETURNING e.id""";

  private static final String NODES = """
      INSERT INTO node_executions (execution_id, node_id, phase, attempts, inputs, outputs, error,
                                   version, started_at, updated_at, ended_at, subtasks,
                                   cache_status, branch_taken)
      SELECT n.execution_id, n.node_id, n.phase, n.attempts, n.inputs, n.outputs, n.error,
             n.version, n.updated_at, n.updated_at, n.ended_at, n.subtasks, n.cache_status,
             n.branch_taken
        FROM unnest($1::bigint[], $2::text[], $3::smallint[], $4::int[], $5::bytea[], $6::bytea[],
                    $7::bytea[], $8::int[], $9::timestamptz[], $10::timestamptz[], $11::bytea[],
                    $12::smallint[], $13::text[])
          AS n(execution_id, node_id, phase, attempts, inputs, outputs, error, version,
               updated_at, ended_at, subtasks, cache_status, branch_taken)
      ON CONFLICT (execution_id, node_id) DO UPDATE SET
          phase = excluded.phase, attempts = excluded.attempts,
          inputs = COALESCE(excluded.inputs, node_executions.inputs),
          outputs = excluded.outputs, error = excluded.error, version = excluded.version,
          updated_at = excluded.updated_at, ended_at = excluded.ended_at,
          subtasks = COALESCE(excluded.subtasks, node_executions.subtasks),
          cache_status = excluded.cache_status,
          branch_taken = COALESCE(excluded.branch_taken, node_executions.branch_taken)""";

  private static final String SUBTASK_OUTPUTS = """
      INSERT INTO subtask_outputs (execution_id, node_id, subtask, outputs)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bytea[])
      ON CONFLICT (execution_id, node_id, subtask) DO UPDATE SET outputs = excluded.outputs""";

  private static final String MAPS_ENDED = """
      DELETE FROM subtask_outputs s
       USING unnest($1::bigint[], $2::text[]) AS m(execution_id, node_id)
       WHERE s.execution_id = m.execution_id AND s.node_id = m.node_id""";

  private static final String ATTEMPTS = """
      INSERT INTO task_executions (execution_id, node_id, attempt, phase, error, started_at,
                                   updated_at, ended_at)
      SELECT a.execution_id, a.node_id, a.attempt, a.phase, a.error, a.updated_at, a.updated_at,
             a.ended_at
        FROM unnest($1::bigint[], $2::text[], $3::int[], $4::smallint[], $5::bytea[],
                    $6::timestamptz[], $7::timestamptz[])
          AS a(execution_id, node_id, attempt, phase, error, updated_at, ended_at)
      ON CONFLICT (execution_id, node_id, attempt) DO UPDATE SET
          phase = excluded.phase, error = excluded.error, updated_at = excluded.updated_at,
          ended_at = excluded.ended_at""";

  private final List<StateWriter.PendingWrite> batch;
  private int rowCount;

  BatchStatements(List<StateWriter.PendingWrite> batch) {
    this.batch = batch;
  }

  int rowCount() {
    return rowCount;
  }

  Future<Void> execute(SqlConnection connection) {
    Map<Integer, ShardLease> leases = new HashMap<>();
    batch.forEach(write -> leases.put(write.lease().shard(), write.lease()));
    Future<RowSet<Row>> fenced = connection.preparedQuery(FENCE).execute(fenceParams(leases));
    Future<RowSet<Row>> updated = connection.preparedQuery(EXECUTIONS).execute(executionParams());
    Future<RowSet<Row>> nodes = connection.preparedQuery(NODES).execute(nodeParams());
    Future<RowSet<Row>> attempts = connection.preparedQuery(ATTEMPTS).execute(attemptParams());
    Future<Void> outputs = subtaskOutputs(connection);
    Future<Void> ended = mapsEnded(connection);
    return Future.all(fenced, updated, nodes, attempts, outputs, ended).compose(all -> {
      Set<Integer> held = new HashSet<>();
      fenced.result().forEach(row -> held.add(row.getInteger(0)));
      Set<Long> lost = new HashSet<>();
      batch.stream()
          .filter(write -> !held.contains(write.lease().shard()))
          .forEach(write -> lost.add(write.result().execution().executionId()));
      if (!lost.isEmpty()) {
        return Future.failedFuture(new Refused(lost, "the lease of the shard was lost"));
      }
      Set<Long> written = new HashSet<>();
      updated.result().forEach(row -> written.add(row.getLong(0)));
      Set<Long> stale = new HashSet<>();
      batch.stream()
          .map(write -> write.result().execution().executionId())
          .filter(id -> !written.contains(id))
          .forEach(stale::add);
      if (!stale.isEmpty()) {
        return Future.failedFuture(new Refused(stale, "the execution's version moved on"));
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> subtaskOutputs(SqlConnection connection) {
    List<Rows.SubtaskOutputRow> rows = new ArrayList<>();
    batch.forEach(write -> rows.addAll(write.result().subtaskOutputs()));
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Integer[] subtasks = new Integer[n];
    Buffer[] outputs = new Buffer[n];
    for (int i = 0; i < n; i++) {
      Rows.SubtaskOutputRow row = rows.get(i);
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      subtasks[i] = row.subtask();
      outputs[i] = Protos.bytes(row.outputs());
    }
    rowCount += n;
    return connection.preparedQuery(SUBTASK_OUTPUTS)
        .execute(Tuple.tuple(List.of(executions, nodeIds, subtasks, outputs))).mapEmpty();
  }

  private Future<Void> mapsEnded(SqlConnection connection) {
    List<Rows.MapEnded> rows = new ArrayList<>();
    batch.forEach(write -> rows.addAll(write.result().mapsEnded()));
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] executions = new Long[rows.size()];
    String[] nodeIds = new String[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      executions[i] = rows.get(i).executionId();
      nodeIds[i] = rows.get(i).nodeId();
    }
    return connection.preparedQuery(MAPS_ENDED)
        .execute(Tuple.tuple(List.of(executions, nodeIds))).mapEmpty();
  }

  private Tuple fenceParams(Map<Integer, ShardLease> leases) {
    Integer[] shards = new Integer[leases.size()];
    Long[] epochs = new Long[leases.size()];
    int i = 0;
    for (ShardLease lease : leases.values()) {
      shards[i] = lease.shard();
      epochs[i++] = lease.epoch();
    }
    return Tuple.tuple(List.of(shards, epochs));
  }

  private Tuple executionParams() {
    int n = batch.size();
    Long[] ids = new Long[n];
    Long[] versions = new Long[n];
    Short[] phases = new Short[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    Buffer[] outputs = new Buffer[n];
    Buffer[] errors = new Buffer[n];
    for (int i = 0; i < n; i++) {
      Rows.ExecutionRow row = batch.get(i).result().execution();
      ids[i] = row.executionId();
      versions[i] = row.expectedVersion();
      phases[i] = (short) row.phase();
      started[i] = Protos.time(row.startedAt());
      updated[i] = Protos.time(row.updatedAt());
      ended[i] = Protos.time(row.endedAt());
      outputs[i] = Protos.bytes(row.outputs());
      errors[i] = Protos.bytes(row.error());
    }
    rowCount += n;
    return Tuple.tuple(List.of(ids, versions, phases, started, updated, ended, outputs, errors));
  }

  private Tuple nodeParams() {
    List<Rows.NodeRow> rows = new ArrayList<>();
    batch.forEach(write -> rows.addAll(write.result().nodes()));
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Short[] phases = new Short[n];
    Integer[] attempts = new Integer[n];
    Buffer[] inputs = new Buffer[n];
    Buffer[] outputs = new Buffer[n];
    Buffer[] errors = new Buffer[n];
    Integer[] versions = new Integer[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    Buffer[] subtasks = new Buffer[n];
    Short[] cacheStatuses = new Short[n];
    String[] branchesTaken = new String[n];
    for (int i = 0; i < n; i++) {
      Rows.NodeRow row = rows.get(i);
      cacheStatuses[i] = (short) row.cacheStatus();
      branchesTaken[i] = row.branchTaken();
      subtasks[i] = Protos.bytes(row.subtasks());
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      phases[i] = (short) row.phase();
      attempts[i] = row.attempts();
      inputs[i] = Protos.bytes(row.inputs());
      outputs[i] = Protos.bytes(row.outputs());
      errors[i] = Protos.bytes(row.error());
      versions[i] = row.version();
      updated[i] = Protos.time(row.updatedAt());
      ended[i] = Protos.time(row.endedAt());
    }
    rowCount += n;
    return Tuple.tuple(List.of(
        executions, nodeIds, phases, attempts, inputs, outputs, errors, versions, updated, ended,
        subtasks, cacheStatuses, branchesTaken));
  }

  private Tuple attemptParams() {
    List<Rows.AttemptRow> rows = new ArrayList<>();
    batch.forEach(write -> rows.addAll(write.result().attempts()));
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Integer[] attempts = new Integer[n];
    Short[] phases = new Short[n];
    Buffer[] errors = new Buffer[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Rows.AttemptRow row = rows.get(i);
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      attempts[i] = row.attempt();
      phases[i] = (short) row.phase();
      errors[i] = Protos.bytes(row.error());
      updated[i] = Protos.time(row.updatedAt());
      ended[i] = Protos.time(row.endedAt());
    }
    rowCount += n;
    return Tuple.tuple(List.of(executions, nodeIds, attempts, phases, errors, updated, ended));
  }

  /** Some rounds of the batch are stale; the transaction rolls back and is retried without them. */
  static final class Refused extends RuntimeException {
    private final Set<Long> executionIds;

    Refused(Set<Long> executionIds, String message) {
      super(message, null, false, false);
      this.executionIds = executionIds;
    }

    Set<Long> executionIds() {
      return executionIds;
    }
  }
}
