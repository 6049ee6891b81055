package io.starling.propeller.store;

import io.starling.propeller.ownership.ShardLease;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The statements of one group-commit transaction. Rows of every kind go in as arrays through
 * {@code unnest}, so a transaction is four statements whatever the number of rounds in it:
 * fence the shards, bump the execution versions, upsert the nodes, upsert the attempts; and
 * when map nodes are running, two more: insert subtask outputs, delete those of ended maps.
 *
 * <p>The rows arrive encoded ({@link EncodedRound}); building the statements only concatenates
 * them. The statements are pipelined: all are sent at once and the fence and version checks are
 * read from their results afterwards. A failed check fails the transaction, which rolls back
 * whatever the other statements wrote; the fence still comes first, so its share lock is held
 * before any row is written.
 */
final class BatchStatements {

  private static final String FENCE = """
      SELECT l.shard, l.epoch FROM shard_leases l
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
    batch.forEach(write -> leases.add(write.lease()));
    List<EncodedRound> rounds = new ArrayList<>(batch.size());
    batch.forEach(write -> {
      rounds.add(write.round());
      rowCount += write.round().rowCount();
    });
    Future<RowSet<Row>> fenced = connection.preparedQuery(FENCE).execute(fenceParams(leases));
    Future<RowSet<Row>> updated = connection.preparedQuery(EXECUTIONS)
        .execute(columns(rounds, round -> round.execution).tuple());
    Future<RowSet<Row>> nodes = connection.preparedQuery(NODES)
        .execute(columns(rounds, round -> round.nodes).tuple());
    Future<RowSet<Row>> attempts = connection.preparedQuery(ATTEMPTS)
        .execute(columns(rounds, round -> round.attempts).tuple());
    Future<Void> outputs = ifAny(connection, SUBTASK_OUTPUTS,
        columns(rounds, round -> round.subtaskOutputs));
    Future<Void> ended = ifAny(connection, MAPS_ENDED, columns(rounds, round -> round.mapsEnded));
    return Future.all(fenced, updated, nodes, attempts, outputs, ended).compose(all -> {
      Set<ShardLease> lost = new HashSet<>(leases);
      fenced.result().forEach(row -> lost.removeIf(lease ->
          lease.shard() == row.getInteger(0) && lease.epoch() == row.getLong(1)));
      if (!lost.isEmpty()) {
        return Future.failedFuture(new Refused(lost, Set.of()));
      }
      Set<Long> stale = new HashSet<>();
      rounds.forEach(round -> stale.add(round.executionId));
      updated.result().forEach(row -> stale.remove(row.getLong(0)));
      if (!stale.isEmpty()) {
        return Future.failedFuture(new Refused(Set.of(), stale));
      }
      return Future.succeededFuture();
    });
  }

  private static Columns columns(List<EncodedRound> rounds, Function<EncodedRound, Columns> part) {
    List<Columns> parts = new ArrayList<>(rounds.size());
    rounds.forEach(round -> parts.add(part.apply(round)));
    return Columns.concat(parts);
  }

  private static Future<Void> ifAny(SqlConnection connection, String sql, Columns rows) {
    return rows.rows() == 0 ? Future.succeededFuture()
        : connection.preparedQuery(sql).execute(rows.tuple()).mapEmpty();
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
