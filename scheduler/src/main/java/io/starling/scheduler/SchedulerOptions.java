package io.starling.scheduler;

import java.time.Duration;

/** Options of the scheduler; each maps 1:1 onto a {@code scheduler.*} configuration key. */
public final class SchedulerOptions {

  /** The timing wheel's tick: what falls due within a tick is handed to a timer of its own. */
  public static final Duration DEFAULT_TICK = Duration.ofMillis(100);
  /** Buckets of the wheel: 512 ticks of 100 ms, about a minute per revolution. */
  public static final int DEFAULT_WHEEL_BUCKETS = 512;
  /** Executions being created at once; more slots due wait, on-time ones first. */
  public static final int DEFAULT_MAX_CONCURRENT_FIRES = 64;
  /** How often the owned shards' snapshots are written (and their leases renewed). */
  public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(10);
  /** How often the owned shards are checked for activations and deactivations. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** Delay before a slot whose execution could not be created is tried again (doubling). */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  /** The longest delay between tries of one slot. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
  /**
   * Slots at most this late fire whatever the catch-up policy: a takeover reads a snapshot up
   * to a snapshot interval old, and the last owner may not have fired what fell due since.
   */
  public static final Duration DEFAULT_CATCH_UP_GRACE = Duration.ofSeconds(30);
  /** How long a lease may go unrenewed before its holder counts as gone. */
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);

  private Duration tick = DEFAULT_TICK;
  private int wheelBuckets = DEFAULT_WHEEL_BUCKETS;
  private int maxConcurrentFires = DEFAULT_MAX_CONCURRENT_FIRES;
  private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
  private Duration pollInterval = DEFAULT_POLL_INTERVAL;
  private Duration retryDelay = DEFAULT_RETRY_DELAY;
  private Duration leaseTimeout = DEFAULT_LEASE_TIMEOUT;
  private Duration catchUpGrace = DEFAULT_CATCH_UP_GRACE;
  private String replicaId = "replica-" + ProcessHandle.current().pid();

  public Duration tick() {
    return tick;
  }

  public SchedulerOptions tick(Duration tick) {
    this.tick = positive("scheduler.tick", tick);
    return this;
  }

  public int wheelBuckets() {
    return wheelBuckets;
  }

  public SchedulerOptions wheelBuckets(int wheelBuckets) {
    if (wheelBuckets < 1 || wheelBuckets > 1 << 20) {
      throw new IllegalArgumentException("scheduler.wheel-buckets must be 1-1048576, got "
          + wheelBuckets);
    }
    this.wheelBuckets = wheelBuckets;
    return this;
  }

  public int maxConcurrentFires() {
    return maxConcurrentFires;
  }

  public SchedulerOptions maxConcurrentFires(int maxConcurrentFires) {
    if (maxConcurrentFires < 1) {
      throw new IllegalArgumentException("scheduler.max-concurrent-fires must be at least 1, got "
          + maxConcurrentFires);
    }
    this.maxConcurrentFires = maxConcurrentFires;
    return this;
  }

  public Duration snapshotInterval() {
    return snapshotInterval;
  }

  public SchedulerOptions snapshotInterval(Duration snapshotInterval) {
    this.snapshotInterval = positive("scheduler.snapshot-interval", snapshotInterval);
    return this;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public SchedulerOptions pollInterval(Duration pollInterval) {
    this.pollInterval = positive("scheduler.poll-interval", pollInterval);
    return this;
  }

  public Duration retryDelay() {
    return retryDelay;
  }

  public SchedulerOptions retryDelay(Duration retryDelay) {
    this.retryDelay = positive("scheduler.retry-delay", retryDelay);
    return this;
  }

  public Duration leaseTimeout() {
    return leaseTimeout;
  }

  public SchedulerOptions leaseTimeout(Duration leaseTimeout) {
    this.leaseTimeout = positive("scheduler.lease-timeout", leaseTimeout);
    return this;
  }

  public Duration catchUpGrace() {
    return catchUpGrace;
  }

  public SchedulerOptions catchUpGrace(Duration catchUpGrace) {
    this.catchUpGrace = positive("scheduler.catch-up-grace", catchUpGrace);
    return this;
  }

  /**
   * Throws when the options do not fit together: leases are renewed with every snapshot, so
   * one must outlast two snapshot intervals, and the grace must cover one.
   */
  public SchedulerOptions check() {
    if (leaseTimeout.compareTo(snapshotInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("scheduler.lease-timeout (" + leaseTimeout + ") must be"
          + " at least twice scheduler.snapshot-interval (" + snapshotInterval + "): leases are"
          + " renewed with every snapshot");
    }
    if (catchUpGrace.compareTo(snapshotInterval) < 0) {
      throw new IllegalArgumentException("scheduler.catch-up-grace (" + catchUpGrace + ") must be"
          + " at least scheduler.snapshot-interval (" + snapshotInterval + ")");
    }
    return this;
  }

  public String replicaId() {
    return replicaId;
  }

  public SchedulerOptions replicaId(String replicaId) {
    this.replicaId = replicaId;
    return this;
  }

  private static Duration positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
    return value;
  }
}
