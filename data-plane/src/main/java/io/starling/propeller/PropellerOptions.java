package io.starling.propeller;

import java.time.Duration;

/** Options of the propeller; each maps 1:1 onto a {@code propeller.*} configuration key. */
public final class PropellerOptions {

  /** Threads that evaluate executions, one round at a time each. */
  public static final int DEFAULT_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());
  /** How often the owned shards are scanned for executions this replica has not seen. */
  public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(2);
  /** Delay before an execution whose write failed (e.g. the database is away) is tried again. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(500);
  /** Most rows in one group-commit transaction. */
  public static final int DEFAULT_MAX_BATCH_ROWS = 20_000;
  /** Group-commit transactions in flight at once. */
  public static final int DEFAULT_MAX_CONCURRENT_WRITES = 2;
  /**
   * How long a running execution may go without a round: one is due after this interval even
   * if no event arrived, so a lost event or a change made elsewhere is noticed.
   */
  public static final Duration DEFAULT_REEVALUATION_INTERVAL = Duration.ofSeconds(10);
  /** Rounds handed to workers per second at most, on average; 0 = no limit. */
  public static final int DEFAULT_MAX_ROUNDS_PER_SECOND = 20_000;
  /** Workflow versions whose graphs are kept in memory. */
  public static final int DEFAULT_GRAPH_CACHE_SIZE = 1_000;
  /** How often this replica renews the leases of the shards it owns. */
  public static final Duration DEFAULT_LEASE_RENEW_INTERVAL = Duration.ofSeconds(5);
  /**
   * How long a lease may go unrenewed before its holder counts as gone: a replica that lost a
   * shard to it may take the shard back then. Several renew intervals.
   */
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);

  /** Items of one map node: a ceiling on what one execution holds in memory. */
  public static final int DEFAULT_MAX_MAP_ITEMS = 1_000_000;

  private int workers = DEFAULT_WORKERS;
  private int maxMapItems = DEFAULT_MAX_MAP_ITEMS;
  private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
  private Duration retryDelay = DEFAULT_RETRY_DELAY;
  private int maxBatchRows = DEFAULT_MAX_BATCH_ROWS;
  private int maxConcurrentWrites = DEFAULT_MAX_CONCURRENT_WRITES;
  private int graphCacheSize = DEFAULT_GRAPH_CACHE_SIZE;
  private Duration reevaluationInterval = DEFAULT_REEVALUATION_INTERVAL;
  private int maxRoundsPerSecond = DEFAULT_MAX_ROUNDS_PER_SECOND;
  private Duration leaseRenewInterval = DEFAULT_LEASE_RENEW_INTERVAL;
  private Duration leaseTimeout = DEFAULT_LEASE_TIMEOUT;
  private String replicaId = "replica-" + ProcessHandle.current().pid();

  public int workers() {
    return workers;
  }

  public PropellerOptions workers(int workers) {
    this.workers = atLeastOne("propeller.workers", workers);
    return this;
  }

  public Duration scanInterval() {
    return scanInterval;
  }

  public PropellerOptions scanInterval(Duration scanInterval) {
    this.scanInterval = positive("propeller.scan-interval", scanInterval);
    return this;
  }

  public Duration retryDelay() {
    return retryDelay;
  }

  public PropellerOptions retryDelay(Duration retryDelay) {
    this.retryDelay = positive("propeller.retry-delay", retryDelay);
    return this;
  }

  public int maxBatchRows() {
    return maxBatchRows;
  }

  public PropellerOptions maxBatchRows(int maxBatchRows) {
    this.maxBatchRows = atLeastOne("propeller.max-batch-rows", maxBatchRows);
    return this;
  }

  public int maxConcurrentWrites() {
    return maxConcurrentWrites;
  }

  public PropellerOptions maxConcurrentWrites(int maxConcurrentWrites) {
    this.maxConcurrentWrites = atLeastOne("propeller.max-concurrent-writes", maxConcurrentWrites);
    return this;
  }

  public int graphCacheSize() {
    return graphCacheSize;
  }

  public PropellerOptions graphCacheSize(int graphCacheSize) {
    this.graphCacheSize = atLeastOne("propeller.graph-cache-size", graphCacheSize);
    return this;
  }

  public Duration reevaluationInterval() {
    return reevaluationInterval;
  }

  public PropellerOptions reevaluationInterval(Duration reevaluationInterval) {
    this.reevaluationInterval = positive("propeller.reevaluation-interval", reevaluationInterval);
    return this;
  }

  public int maxRoundsPerSecond() {
    return maxRoundsPerSecond;
  }

  public PropellerOptions maxRoundsPerSecond(int maxRoundsPerSecond) {
    if (maxRoundsPerSecond < 0) {
      throw new IllegalArgumentException(
          "propeller.max-rounds-per-second must be 0 (no limit) or more, got " + maxRoundsPerSecond);
    }
    this.maxRoundsPerSecond = maxRoundsPerSecond;
    return this;
  }

  public Duration leaseRenewInterval() {
    return leaseRenewInterval;
  }

  public PropellerOptions leaseRenewInterval(Duration leaseRenewInterval) {
    this.leaseRenewInterval = positive("propeller.lease-renew-interval", leaseRenewInterval);
    return this;
  }

  public Duration leaseTimeout() {
    return leaseTimeout;
  }

  /** Must be longer than the renew interval; {@link #check} says so otherwise. */
  public PropellerOptions leaseTimeout(Duration leaseTimeout) {
    this.leaseTimeout = positive("propeller.lease-timeout", leaseTimeout);
    return this;
  }

  /** Checks the options against each other; throws naming the keys. */
  public PropellerOptions check() {
    if (leaseTimeout.compareTo(leaseRenewInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("propeller.lease-timeout (" + leaseTimeout
          + ") must be at least twice propeller.lease-renew-interval (" + leaseRenewInterval + ")");
    }
    return this;
  }

  /** The name this replica's leases are held under. */
  public String replicaId() {
    return replicaId;
  }

  public PropellerOptions replicaId(String replicaId) {
    if (replicaId == null || replicaId.isBlank()) {
      throw new IllegalArgumentException("propeller.replica-id must not be empty");
    }
    this.replicaId = replicaId;
    return this;
  }

  private static int atLeastOne(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, got " + value);
    }
    return value;
  }

  private static Duration positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
    return value;
  }

  public int maxMapItems() {
    return maxMapItems;
  }

  public PropellerOptions maxMapItems(int maxMapItems) {
    if (maxMapItems < 1) {
      throw new IllegalArgumentException("propeller.max-map-items must be >= 1, got "
          + maxMapItems);
    }
    this.maxMapItems = maxMapItems;
    return this;
  }
}
