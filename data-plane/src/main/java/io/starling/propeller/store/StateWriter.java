package io.starling.propeller.store;

import io.starling.ownership.ShardLease;
import io.starling.propeller.round.RoundResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Group commit of round results across executions. Rounds hand their rows in from any worker,
 * which encodes them ({@link EncodedRound}); while fewer than {@code maxConcurrentWrites}
 * transactions are in flight a new one starts with everything pending (up to
 * {@code maxBatchRows} rows), so under load each transaction carries the rounds of many
 * executions and the commit cost is shared.
 *
 * <p>Each transaction checks the leases of its shards under a share lock and the version of
 * each execution row. Rounds whose lease was lost are refused with {@link ShardLostException},
 * rounds whose version moved on with {@link StaleStateException}, and the transaction is
 * retried without them, so one stale execution never blocks the others.
 */
final class StateWriter {

  private final Pool pool;
  private final IntConsumer batchRowsObserver;
  private final Batches<PendingWrite> batches;

  StateWriter(Pool pool, int maxBatchRows, int maxConcurrentWrites, IntConsumer batchRowsObserver) {
    this.pool = pool;
    this.batchRowsObserver = batchRowsObserver;
    this.batches = new Batches<>(maxBatchRows, maxConcurrentWrites,
        write -> write.round().rowCount(), this::commit);
  }

  /**
   * Writes one round's rows; completes when they are committed (or refused). Encodes the rows on
   * the calling thread.
   */
  Future<Void> write(ShardLease lease, RoundResult result) {
    Promise<Void> promise = Promise.promise();
    batches.add(new PendingWrite(lease, new EncodedRound(result), promise));
    return promise.future();
  }

  private Future<Void> commit(List<PendingWrite> batch) {
    BatchStatements statements = new BatchStatements(batch);
    return pool.withTransaction(connection -> statements.execute(connection))
        .transform(outcome -> {
          if (outcome.succeeded()) {
            batchRowsObserver.accept(statements.rowCount());
            batch.forEach(write -> write.promise().complete());
            return Future.succeededFuture();
          }
          if (outcome.cause() instanceof BatchStatements.Refused refused) {
            return retryWithout(batch, refused);
          }
          batch.forEach(write -> write.promise().fail(outcome.cause()));
          return Future.succeededFuture();
        });
  }

  private Future<Void> retryWithout(List<PendingWrite> batch, BatchStatements.Refused refused) {
    List<PendingWrite> rest = new ArrayList<>(batch.size());
    for (PendingWrite write : batch) {
      if (refused.lostLeases().contains(write.lease())) {
        write.promise().fail(new ShardLostException(write.lease()));
      } else if (refused.staleExecutions().contains(write.round().executionId())) {
        write.promise().fail(new StaleStateException("the execution's version moved on"));
      } else {
        rest.add(write);
      }
    }
    return rest.isEmpty() ? Future.succeededFuture() : commit(rest);
  }

  record PendingWrite(ShardLease lease, EncodedRound round, Promise<Void> promise) {}
}
