package io.starling.propeller;

import io.starling.proto.core.LiteralMap;
import io.starling.ownership.ShardLease;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.RoundResult;
import io.starling.propeller.store.ActiveExecution;
import io.starling.propeller.store.CacheKey;
import io.starling.propeller.store.PropellerStore;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link PropellerStore} that fails on purpose, after Temporal's fault-injecting persistence.
 * A call can fail before it reaches the database (nothing happened), be delayed, or, the case
 * that matters most for writes, reach the database, commit, and then report failure, as a
 * connection lost after the COMMIT was sent does. Faults are planned for the n-th write or
 * drawn at random from a seeded generator, so a failing run can be repeated.
 */
final class FaultInjectingStore implements PropellerStore {

  /** What happens to one call. */
  enum Fault {
    /** Fails without calling the database. */
    FAIL,
    /** Calls the database, then fails whatever the outcome. */
    SUCCEED_THEN_FAIL,
    /** Calls the database and completes after a delay. */
    DELAY
  }

  static final class InjectedFault extends RuntimeException {
    InjectedFault(String message) {
      super(message, null, false, false);
    }
  }

  private final PropellerStore delegate;
  private final TimeSource time;
  private final AtomicInteger writes = new AtomicInteger();
  private final Map<Integer, Fault> plannedWrites = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> writesByShard = new ConcurrentHashMap<>();
  private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
  private volatile CompletableFuture<List<Integer>> nextScan = new CompletableFuture<>();
  private Random random;
  private double rate;
  private volatile Duration delay = Duration.ofMillis(20);

  FaultInjectingStore(PropellerStore delegate, TimeSource time) {
    this.delegate = delegate;
    this.time = time;
  }

  /** The {@code n}-th write from the start (1-based) meets {@code fault}. */
  FaultInjectingStore planWrite(int n, Fault fault) {
    plannedWrites.put(n, fault);
    return this;
  }

  /**
   * From now on each call (acquires excepted) meets a fault with probability {@code rate},
   * each kind equally likely; 0 stops injecting.
   */
  synchronized FaultInjectingStore random(long seed, double rate) {
    this.random = new Random(seed);
    this.rate = rate;
    return this;
  }

  synchronized void stopInjecting() {
    this.rate = 0;
  }

  int writes() {
    return writes.get();
  }

  /** Writes asked for with a lease of {@code shard}, faulty or not. */
  int writesFor(int shard) {
    AtomicInteger count = writesByShard.get(shard);
    return count == null ? 0 : count.get();
  }

  int injected(Fault fault) {
    AtomicInteger count = injected.get(fault);
    return count == null ? 0 : count.get();
  }

  @Override
  public Future<List<ShardLease>> acquire(Collection<Integer> shards, String owner) {
    return delegate.acquire(shards, owner);
  }

  @Override
  public Future<Set<Integer>> renew(Collection<ShardLease> leases) {
    return delegate.renew(leases);
  }

  @Override
  public Future<Void> release(Collection<ShardLease> leases) {
    return delegate.release(leases);
  }

  @Override
  public Future<Set<Integer>> reclaimable(Collection<Integer> shards, Duration timeout) {
    return delegate.reclaimable(shards, timeout);
  }

  /** Completes, with the shards scanned, when the next scan has been answered. */
  CompletableFuture<List<Integer>> nextScan() {
    return nextScan;
  }

  @Override
  public Future<List<ActiveExecution>> active(Integer[] shards) {
    return inject(randomFault(), "scan", () -> delegate.active(shards)).onComplete(done -> {
      CompletableFuture<List<Integer>> scanned = nextScan;
      nextScan = new CompletableFuture<>();
      scanned.complete(List.of(shards));
    });
  }

  @Override
  public Future<ExecutionState> load(long executionId) {
    return inject(randomFault(), "load of " + executionId, () -> delegate.load(executionId));
  }

  @Override
  public Future<Void> write(ShardLease lease, RoundResult result) {
    int n = writes.incrementAndGet();
    writesByShard.computeIfAbsent(lease.shard(), shard -> new AtomicInteger()).incrementAndGet();
    Fault planned = plannedWrites.remove(n);
    return inject(planned != null ? planned : randomFault(), "write " + n,
        () -> delegate.write(lease, result));
  }

  @Override
  public Future<LiteralMap> cachedOutputs(CacheKey key) {
    return inject(randomFault(), "cache lookup", () -> delegate.cachedOutputs(key));
  }

  @Override
  public Future<Void> cacheOutputs(CacheKey key, LiteralMap outputs, long executionId) {
    return inject(randomFault(), "cache store", () -> delegate.cacheOutputs(key, outputs, executionId));
  }

  private synchronized Fault randomFault() {
    if (random == null || rate == 0 || random.nextDouble() >= rate) {
      return null;
    }
    return Fault.values()[random.nextInt(Fault.values().length)];
  }

  private <T> Future<T> inject(Fault fault, String call, Supplier<Future<T>> real) {
    if (fault == null) {
      return real.get();
    }
    injected.computeIfAbsent(fault, kind -> new AtomicInteger()).incrementAndGet();
    return switch (fault) {
      case FAIL -> Future.failedFuture(new InjectedFault(call + " failed before the database"));
      case SUCCEED_THEN_FAIL -> real.get().transform(outcome -> Future.failedFuture(
          new InjectedFault(call + " reached the database, then the connection broke")));
      case DELAY -> {
        Promise<T> delayed = Promise.promise();
        real.get().onComplete(outcome -> time.schedule(delay, () -> delayed.handle(outcome)));
        yield delayed.future();
      }
    };
  }
}
