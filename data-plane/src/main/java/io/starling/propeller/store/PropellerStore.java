package io.starling.propeller.store;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.LiteralMap;
import io.starling.ownership.ShardLease;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.RoundResult;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Everything the propeller reads and writes, as one seam: shard leases, the scan of owned
 * shards, loading an execution, writing a round, and the task output cache. The propeller is
 * given one; {@link #postgres} is the real one, and tests wrap it to make any call fail, stall,
 * or commit and then report failure.
 *
 * <p>Every method is asynchronous and never blocks the caller. A failed future means the outcome
 * is unknown unless the exception says otherwise ({@link ShardLostException},
 * {@link StaleStateException}, {@link NoSuchElementException}): a write that failed for
 * another reason may have committed, which the row versions make harmless.
 */
public interface PropellerStore {

  /**
   * Takes {@code shards} over for {@code owner}, bumping each one's epoch so that every later
   * write of a previous owner fails its fence.
   */
  Future<List<ShardLease>> acquire(Collection<Integer> shards, String owner);

  /**
   * Renews {@code leases} (their holder still runs their shards); returns the shards whose lease
   * was still current. The others were taken over or released meanwhile.
   */
  Future<Set<Integer>> renew(Collection<ShardLease> leases);

  /** Releases {@code leases} this replica lets go of, so their shards may be taken at once. */
  Future<Void> release(Collection<ShardLease> leases);

  /**
   * Which of {@code shards} nobody holds: no lease, a released one, or one its holder has not
   * renewed within {@code timeout} (the holder is gone).
   */
  Future<Set<Integer>> reclaimable(Collection<Integer> shards, Duration timeout);

  /** Every non-terminal execution in {@code shards}. */
  Future<List<ActiveExecution>> active(Integer[] shards);

  /**
   * One execution with the committed state of all its nodes, not yet initialized; fails with
   * {@link NoSuchElementException} when there is no such execution.
   */
  Future<ExecutionState> load(long executionId);

  /**
   * Commits one round's rows if {@code lease} is still its shard's current one and the
   * execution's version is the one the round started from; fails with
   * {@link ShardLostException} or {@link StaleStateException} otherwise, having written
   * nothing. Encodes the rows on the calling thread.
   */
  Future<Void> write(ShardLease lease, RoundResult result);

  /** The cached outputs under {@code key}, or null when there are none. */
  Future<LiteralMap> cachedOutputs(CacheKey key);

  /** Caches {@code outputs} under {@code key}. */
  Future<Void> cacheOutputs(CacheKey key, LiteralMap outputs, long executionId);

  /**
   * The store on PostgreSQL: rounds are group-committed ({@code maxBatchRows} rows per
   * transaction at most, {@code maxConcurrentWrites} transactions at once; the rows per
   * transaction are the histogram {@code starling_propeller_write_batch_rows}), loads are
   * batched likewise, and the graphs of {@code graphCacheSize} workflow versions are kept.
   */
  static PropellerStore postgres(Pool pool, int maxBatchRows, int maxConcurrentWrites,
      int graphCacheSize, TimeSource time, PrometheusRegistry registry) {
    Histogram batchRows = Histogram.builder()
        .name("starling_propeller_write_batch_rows")
        .help("Rows committed per group-commit transaction")
        .classicExponentialUpperBounds(1, 4, 9)
        .register(registry);
    return new PostgresPropellerStore(pool, maxBatchRows, maxConcurrentWrites, graphCacheSize,
        time, batchRows::observe);
  }
}
