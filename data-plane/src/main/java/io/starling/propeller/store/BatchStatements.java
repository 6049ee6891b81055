package io.starling.propeller.store;

import io.starling.ownership.ShardLease;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements of one group-commit transaction. Rows of every kind go in as arrays through
 * {@code unnest}, so a transaction is four statements whatever the number of rounds in it:
 * fence the shards, bump the execution versions, upsert the nodes, upsert the attempts; and
 * when map nodes are running, two more: insert subtask outputs, delete those of ended maps.
 *
 * <p>The rows arrive encoded ({@link EncodedRound}); building the statements only copies their
 * values into one array per column. The statements are pipelined: all are sent at once and the fence and version checks are
 * read from their results afterwards. A failed check fails the transaction, which rolls back
 * whatever the other statements wrote; the fence still comes first, so its share lock is held
 * before any row is written.
 */
final class BatchStatements {

  private static final String FENCE = """
      SELECT l.shard, l.epoch FROM shard_leases l
        JOIN unnest($1::int[], $2::bigint[]) AS f(shard, epoch)
          ON l.shard = f.shard AND l.epoch = f.epoch
       ORDER BY l.shard
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
      INSERT INTO node_executions (execution_id, node_id, phase, attempts, lost_attempts, inputs,
                                   outputs, error, version, started_at, updated_at, ended_at,
                                   subtasks, cache_status, branch_taken)
      SELECT n.execution_id, n.node_id, n.phase, n.attempts, n.lost_attempts, n.inputs, n.outputs,
             n.error, n.version, n.updated_at, n.updated_at, n.ended_at, n.subtasks, n.cache_status,
             n.branch_taken
        FROM unnest($1::bigint[], $2::text[], $3::smallint[], $4::int[], $5::int[], $6::bytea[],
                    $7::bytea[], $8::bytea[], $9::int[], $10::timestamptz[], $11::timestamptz[],
                    $12::bytea[], $13::smallint[], $14::text[])
          AS n(execution_id, node_id, phase, attempts, lost_attempts, inputs, outputs, error,
               version, updated_at, ended_at, subtasks, cache_status, branch_taken)
      ON CONFLICT (execution_id, node_id) DO UPDATE SET
          phase = excluded.phase, attempts = excluded.attempts,
          lost_attempts = excluded.lost_attempts,
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
    Set<ShardLease> leases = new HashSet<>();
    List<EncodedRound> rounds = new ArrayList<>(batch.size());
    for (StateWriter.PendingWrite write : batch) {
      leases.add(write.lease());
      rounds.add(write.round());
      rowCount += write.round().rowCount();
    }
    Future<RowSet<Row>> fenced = connection.preparedQuery(FENCE).execute(fenceParams(leases));
    Future<RowSet<Row>> updated = connection.preparedQuery(EXECUTIONS)
        .execute(executionParams(rounds));
    Future<RowSet<Row>> nodes = connection.preparedQuery(NODES).execute(nodeParams(rounds));
    Future<RowSet<Row>> attempts = connection.preparedQuery(ATTEMPTS)
        .execute(attemptParams(rounds));
    Future<Void> outputs = subtaskOutputs(connection, rounds);
    Future<Void> ended = mapsEnded(connection, rounds);
    return Future.all(fenced, updated, nodes, attempts, outputs, ended).compose(all -> {
      Set<ShardLease> lost = new HashSet<>(leases);
      fenced.result().forEach(row -> lost.removeIf(lease ->
          lease.shard() == row.getInteger(0) && lease.epoch() == row.getLong(1)));
      if (!lost.isEmpty()) {
        return Future.failedFuture(new Refused(lost, Set.of()));
      }
      Set<Long> stale = new HashSet<>();
      rounds.forEach(round -> stale.add(round.executionId()));
      updated.result().forEach(row -> stale.remove(row.getLong(0)));
      if (!stale.isEmpty()) {
        return Future.failedFuture(new Refused(Set.of(), stale));
      }
      return Future.succeededFuture();
    });
  }

  private static Tuple executionParams(List<EncodedRound> rounds) {
    int n = rounds.size();
    Long[] ids = new Long[n];
    Long[] versions = new Long[n];
    Short[] phases = new Short[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    Buffer[] outputs = new Buffer[n];
    Buffer[] errors = new Buffer[n];
    for (int i = 0; i < n; i++) {
      EncodedRound.Execution row = rounds.get(i).execution;
      ids[i] = row.id();
      versions[i] = row.expectedVersion();
      phases[i] = row.phase();
      started[i] = row.startedAt();
      updated[i] = row.updatedAt();
      ended[i] = row.endedAt();
      outputs[i] = row.outputs();
      errors[i] = row.error();
    }
    return Tuple.tuple(List.of(ids, versions, phases, started, updated, ended, outputs, errors));
  }

  private static Tuple nodeParams(List<EncodedRound> rounds) {
    int n = 0;
    for (EncodedRound round : rounds) {
      n += round.nodes.size();
    }
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Short[] phases = new Short[n];
    Integer[] attempts = new Integer[n];
    Integer[] lost = new Integer[n];
    Buffer[] inputs = new Buffer[n];
    Buffer[] outputs = new Buffer[n];
    Buffer[] errors = new Buffer[n];
    Integer[] versions = new Integer[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    Buffer[] subtasks = new Buffer[n];
    Short[] cacheStatuses = new Short[n];
    String[] branchesTaken = new String[n];
    int i = 0;
    for (EncodedRound round : rounds) {
      for (EncodedRound.Node row : round.nodes) {
        executions[i] = row.executionId();
        nodeIds[i] = row.nodeId();
        phases[i] = row.phase();
        attempts[i] = row.attempts();
        lost[i] = row.lost();
        inputs[i] = row.inputs();
        outputs[i] = row.outputs();
        errors[i] = row.error();
        versions[i] = row.version();
        updated[i] = row.updatedAt();
        ended[i] = row.endedAt();
        subtasks[i] = row.subtasks();
        cacheStatuses[i] = row.cacheStatus();
        branchesTaken[i++] = row.branchTaken();
      }
    }
    return Tuple.tuple(List.of(executions, nodeIds, phases, attempts, lost, inputs, outputs,
        errors, versions, updated, ended, subtasks, cacheStatuses, branchesTaken));
  }

  private static Tuple attemptParams(List<EncodedRound> rounds) {
    int n = 0;
    for (EncodedRound round : rounds) {
      n += round.attempts.size();
    }
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Integer[] attempts = new Integer[n];
    Short[] phases = new Short[n];
    Buffer[] errors = new Buffer[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    int i = 0;
    for (EncodedRound round : rounds) {
      for (EncodedRound.Attempt row : round.attempts) {
        executions[i] = row.executionId();
        nodeIds[i] = row.nodeId();
        attempts[i] = row.attempt();
        phases[i] = row.phase();
        errors[i] = row.error();
        updated[i] = row.updatedAt();
        ended[i++] = row.endedAt();
      }
    }
    return Tuple.tuple(List.of(executions, nodeIds, attempts, phases, errors, updated, ended));
  }

  private static Future<Void> subtaskOutputs(SqlConnection connection, List<EncodedRound> rounds) {
    List<EncodedRound.SubtaskOutput> rows = new ArrayList<>();
    rounds.forEach(round -> rows.addAll(round.subtaskOutputs));
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Integer[] subtasks = new Integer[n];
    Buffer[] outputs = new Buffer[n];
    for (int i = 0; i < n; i++) {
      EncodedRound.SubtaskOutput row = rows.get(i);
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      subtasks[i] = row.subtask();
      outputs[i] = row.outputs();
    }
    return connection.preparedQuery(SUBTASK_OUTPUTS)
        .execute(Tuple.tuple(List.of(executions, nodeIds, subtasks, outputs))).mapEmpty();
  }

  private static Future<Void> mapsEnded(SqlConnection connection, List<EncodedRound> rounds) {
    List<EncodedRound.MapEnded> rows = new ArrayList<>();
    rounds.forEach(round -> rows.addAll(round.mapsEnded));
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

  private static Tuple fenceParams(Set<ShardLease> leases) {
    Integer[] shards = new Integer[leases.size()];
    Long[] epochs = new Long[leases.size()];
    int i = 0;
    for (ShardLease lease : leases) {
      shards[i] = lease.shard();
      epochs[i++] = lease.epoch();
    }
    return Tuple.tuple(List.of(shards, epochs));
  }

  /**
   * Some rounds of the batch cannot be written: their shards' leases were lost, or (checked
   * only when no lease was) their executions' versions moved on. The transaction rolls back and
   * is retried without them.
   */
  static final class Refused extends RuntimeException {
    private final Set<ShardLease> lostLeases;
    private final Set<Long> staleExecutions;

    Refused(Set<ShardLease> lostLeases, Set<Long> staleExecutions) {
      super(lostLeases.isEmpty() ? "the execution's version moved on" : "leases lost " + lostLeases,
          null, false, false);
      this.lostLeases = lostLeases;
      this.staleExecutions = staleExecutions;
    }

    Set<ShardLease> lostLeases() {
      return lostLeases;
    }

    Set<Long> staleExecutions() {
      return staleExecutions;
    }
  }
}
