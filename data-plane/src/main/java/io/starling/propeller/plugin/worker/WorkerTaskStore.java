package io.starling.propeller.plugin.worker;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@code worker_tasks}: one row per attempt of a worker task, QUEUED by the replica
 * that runs its execution, LEASED by the replica a worker takes it through, DONE with the
 * worker's report or EXPIRED when its lease was not kept, then taken in (deleted) by the owner.
 * Every statement takes a batch.
 */
public final class WorkerTaskStore {

  static final short QUEUED = 0;
  static final short LEASED = 1;
  static final short DONE = 2;
  static final short EXPIRED = 3;

  // The shard comes from the execution row, so a worker's report can be routed to its owner.
  private static final String ENQUEUE = """
      INSERT INTO worker_tasks (attempt_key, execution_id, shard, queue, spec)
      SELECT u.attempt_key, u.execution_id, e.shard, u.queue, u.spec
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[])
             AS u(attempt_key, execution_id, queue, spec)
        JOIN executions e ON e.id = u.execution_id
      ON CONFLICT (attempt_key) DO NOTHING
      RETURNING id, attempt_key""";
  private static final String FIND = """
      SELECT id, attempt_key FROM worker_tasks WHERE attempt_key = ANY($1)""";
  private static final String CLAIM = """
      UPDATE worker_tasks t
         SET state = 1, lease = $2, worker = $3,
             lease_expires = now() + make_interval(secs => $4)
        FROM (SELECT id FROM worker_tasks WHERE queue = $1 AND state = 0
               ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) c
       WHERE t.id = c.id
      RETURNING t.id, t.spec, extract(epoch FROM now() - t.created_at)::float8 AS waited""";
  private static final String RELEASE = """
      UPDATE worker_tasks SET state = 0, lease = NULL, worker = NULL, lease_expires = NULL
       WHERE id = ANY($1) AND lease = $2 AND state = 1""";
  private static final String EXTEND = """
      UPDATE worker_tasks t SET lease_expires = now() + make_interval(secs => $3)
        FROM unnest($1::bigint[], $2::bigint[]) AS u(id, lease)
       WHERE t.id = u.id AND t.lease = u.lease AND t.state = 1
      RETURNING t.id""";
  private static final String REPORT = """
      UPDATE worker_tasks t SET state = 2, result = u.result
        FROM unnest($1::bigint[], $2::bigint[], $3::bytea[]) AS u(id, lease, result)
       WHERE t.id = u.id AND t.lease = u.lease AND t.state = 1
      RETURNING t.id, t.shard""";
  private static final String EXPIRE = """
      UPDATE worker_tasks SET state = 3
       WHERE id IN (SELECT id FROM worker_tasks WHERE state = 1 AND lease_expires < now()
                     ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, shard""";
  private static final String TAKE = """
      DELETE FROM worker_tasks WHERE id = ANY($1) AND state >= 2
      RETURNING id, state, result""";
  private static final String DELETE = "DELETE FROM worker_tasks WHERE id = ANY($1)";

  private final Pool pool;

  public WorkerTaskStore(Pool pool) {
    this.pool = pool;
  }

  /** An attempt to queue: its key, execution, queue ("project/domain/name") and spec. */
  record Queued(String key, long executionId, String queue, byte[] spec) {}

  /** The row found or made for an attempt's key. */
  record Placed(long id, String key) {}

  /**
   * Queues the attempts; returns the row of each, made now or found (an attempt started again
   * by the next owner of its shard finds its row, leased or done meanwhile).
   */
  Future<List<Placed>> enqueue(List<Queued> attempts) {
    String[] keys = new String[attempts.size()];
    Long[] executions = new Long[keys.length];
    String[] queues = new String[keys.length];
    Buffer[] specs = new Buffer[keys.length];
    for (int i = 0; i < keys.length; i++) {
      Queued queued = attempts.get(i);
      keys[i] = queued.key();
      executions[i] = queued.executionId();
      queues[i] = queued.queue();
      specs[i] = Buffer.buffer(queued.spec());
    }
    return pool.preparedQuery(ENQUEUE)
        .execute(Tuple.tuple(List.of(keys, executions, queues, specs)))
        .compose(inserted -> {
          List<Placed> rows = placed(inserted);
          if (rows.size() == keys.length) {
            return Future.succeededFuture(rows);
          }
          return pool.preparedQuery(FIND).execute(Tuple.of((Object) keys)).map(this::placed);
        });
  }

  private List<Placed> placed(Iterable<Row> result) {
    List<Placed> placed = new ArrayList<>();
    for (Row row : result) {
      placed.add(new Placed(row.getLong("id"), row.getString("attempt_key")));
    }
    return placed;
  }

  /** A leased attempt: its row id, its spec, and how long it waited in its queue. */
  record Claimed(long id, byte[] spec, double waitedSeconds) {}

  /** Leases up to {@code limit} queued attempts of {@code queue} to {@code worker}. */
  Future<List<Claimed>> claim(String queue, int limit, long lease, String worker,
      Duration timeout) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(queue, lease, worker, seconds(timeout), limit))
        .map(result -> {
          List<Claimed> claimed = new ArrayList<>(result.size());
          for (Row row : result) {
            claimed.add(new Claimed(row.getLong("id"), row.getBuffer("spec").getBytes(),
                row.getDouble("waited")));
          }
          return claimed;
        });
  }

  /** Queues leased attempts again that could not be handed to their worker. */
  Future<Void> release(Long[] ids, long lease) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(ids, lease)).mapEmpty();
  }

  /** Extends the leases still held; returns the ids of those. */
  Future<List<Long>> extend(Long[] ids, Long[] leases, Duration timeout) {
    return pool.preparedQuery(EXTEND).execute(Tuple.tuple(List.of(ids, leases, seconds(timeout))))
        .map(result -> {
          List<Long> held = new ArrayList<>(result.size());
          result.forEach(row -> held.add(row.getLong("id")));
          return held;
        });
  }

  /** An attempt reported or expired: its row id and the shard of its execution. */
  record Ended(long id, int shard) {}

  /** Records reports of leases still held; returns the attempts they ended. */
  Future<List<Ended>> report(Long[] ids, Long[] leases, Buffer[] results) {
    return pool.preparedQuery(REPORT).execute(Tuple.tuple(List.of(ids, leases, results))).map(this::ended);
  }

  /** Expires up to {@code limit} leases that were not kept. */
  Future<List<Ended>> expire(int limit) {
    return pool.preparedQuery(EXPIRE).execute(Tuple.of(limit)).map(this::ended);
  }

  private List<Ended> ended(Iterable<Row> result) {
    List<Ended> ended = new ArrayList<>();
    for (Row row : result) {
      ended.add(new Ended(row.getLong("id"), row.getInteger("shard")));
    }
    return ended;
  }

  /** A row taken in: DONE with the worker's report, or EXPIRED (no result). */
  record Taken(long id, boolean expired, byte[] result) {}

  /** Deletes the rows of {@code ids} that are DONE or EXPIRED and returns them. */
  Future<List<Taken>> take(Long[] ids) {
    return pool.preparedQuery(TAKE).execute(Tuple.of((Object) ids)).map(result -> {
      List<Taken> taken = new ArrayList<>(result.size());
      for (Row row : result) {
        Buffer report = row.getBuffer("result");
        taken.add(new Taken(row.getLong("id"), row.getShort("state") == EXPIRED,
            report == null ? null : report.getBytes()));
      }
      return taken;
    });
  }

  /** Deletes the rows of attempts nobody waits for any more (aborted). */
  Future<Void> delete(Long[] ids) {
    return pool.preparedQuery(DELETE).execute(Tuple.of((Object) ids)).mapEmpty();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
