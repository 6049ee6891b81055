package io.starling.propeller.store;

import io.starling.ownership.LeaseTable;
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
import java.util.Set;
import java.util.function.IntConsumer;

/** {@link PropellerStore} on PostgreSQL through one pool. */
final class PostgresPropellerStore implements PropellerStore {

  private final LeaseTable leases;
  private final ExecutionLoader loader;
  private final StateWriter writer;
  private final TaskCacheStore cache;

  PostgresPropellerStore(Pool pool, int maxBatchRows, int maxConcurrentWrites,
      int graphCacheSize, TimeSource time, IntConsumer batchRows) {
    this.leases = new LeaseTable(pool, time.clock(), LeaseTable.PROPELLER);
    this.loader = new ExecutionLoader(pool, graphCacheSize);
    this.writer = new StateWriter(pool, maxBatchRows, maxConcurrentWrites, batchRows);
    this.cache = new TaskCacheStore(pool, time.clock());
  }

  @Override
  public Future<List<ShardLease>> acquire(Collection<Integer> shards, String owner) {
    return leases.acquire(shards, owner);
  }

  @Override
  public Future<Set<Integer>> renew(Collection<ShardLease> leases) {
    return this.leases.renew(leases);
  }

  @Override
  public Future<Void> release(Collection<ShardLease> leases) {
    return this.leases.release(leases);
  }

  @Override
  public Future<Set<Integer>> reclaimable(Collection<Integer> shards, Duration timeout) {
    return leases.reclaimable(shards, timeout);
  }

  @Override
  public Future<List<ActiveExecution>> active(Integer[] shards) {
    return loader.active(shards);
  }

  @Override
  public Future<ExecutionState> load(long executionId) {
    return loader.load(executionId);
  }

  @Override
  public Future<Void> write(ShardLease lease, RoundResult result) {
    return writer.write(lease, result);
  }

  @Override
  public Future<LiteralMap> cachedOutputs(CacheKey key) {
    return cache.lookup(key);
  }

  @Override
  public Future<Void> cacheOutputs(CacheKey key, LiteralMap outputs, long executionId) {
    return cache.store(key, outputs, executionId);
  }
}
