package io.starling.admin;

import io.starling.admin.shard.ShardKey;
import io.starling.admin.shard.ShardMap;
import java.time.Duration;

/** Options of the admin; each maps 1:1 onto an {@code admin.*} configuration key. */
public final class AdminOptions {

  /** Task nodes running at once in an execution whose launch plan and request leave it unset. */
  public static final int DEFAULT_MAX_PARALLELISM = 25;
  /** Partitions of a replica group's Hazelcast cluster, and so shards of the group. */
  public static final int DEFAULT_SHARD_COUNT = 271;
  public static final ShardKey DEFAULT_SHARD_KEY = ShardKey.EXECUTION;
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int DEFAULT_MAX_PAGE_SIZE = 1000;
  /** Serialized size of the inputs of one execution. */
  public static final int DEFAULT_MAX_INPUT_BYTES = 8 * 1024 * 1024;
  /** How often a watched execution's rows are read while it runs. */
  public static final Duration DEFAULT_WATCH_POLL_INTERVAL = Duration.ofMillis(200);
  public static final int DEFAULT_MAX_NESTING = 10;
  /** Nodes of one workflow, branch cases' nodes included. */
  public static final int DEFAULT_MAX_WORKFLOW_NODES = 100_000;
  /** Executions one API key creates per second, sustained (ten seconds of it at once). */
  public static final int DEFAULT_MAX_EXECUTIONS_PER_SECOND = 100;

  private int maxParallelism = DEFAULT_MAX_PARALLELISM;
  private ShardMap shards = ShardMap.hash(DEFAULT_SHARD_KEY, DEFAULT_SHARD_COUNT);
  private int pageSize = DEFAULT_PAGE_SIZE;
  private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;
  private int maxInputBytes = DEFAULT_MAX_INPUT_BYTES;
  private Duration watchPollInterval = DEFAULT_WATCH_POLL_INTERVAL;
  private int maxNesting = DEFAULT_MAX_NESTING;
  private int maxWorkflowNodes = DEFAULT_MAX_WORKFLOW_NODES;
  private int maxExecutionsPerSecond = DEFAULT_MAX_EXECUTIONS_PER_SECOND;

  public int maxParallelism() {
    return maxParallelism;
  }

  public AdminOptions maxParallelism(int maxParallelism) {
    if (maxParallelism < 0) {
      throw new IllegalArgumentException("admin.max-parallelism must be >= 0, got " + maxParallelism);
    }
    this.maxParallelism = maxParallelism;
    return this;
  }

  /** How deep launch-plan nodes may nest child executions (a top-level execution is 0). */
  public int maxNesting() {
    return maxNesting;
  }

  public AdminOptions maxNesting(int maxNesting) {
    if (maxNesting < 0) {
      throw new IllegalArgumentException("admin.max-nesting must be >= 0, got " + maxNesting);
    }
    this.maxNesting = maxNesting;
    return this;
  }

  /** Which shard, and so which replicas, an execution is given to. */
  public ShardMap shards() {
    return shards;
  }

  public AdminOptions shards(ShardMap shards) {
    this.shards = shards;
    return this;
  }

  public int pageSize() {
    return pageSize;
  }

  public int maxPageSize() {
    return maxPageSize;
  }

  public AdminOptions maxPageSize(int maxPageSize) {
    this.maxPageSize = atLeast(maxPageSize, 1, "admin.max-page-size");
    this.pageSize = Math.min(pageSize, this.maxPageSize);
    return this;
  }

  public int maxWorkflowNodes() {
    return maxWorkflowNodes;
  }

  public AdminOptions maxWorkflowNodes(int maxWorkflowNodes) {
    this.maxWorkflowNodes = atLeast(maxWorkflowNodes, 1, "admin.max-workflow-nodes");
    return this;
  }

  /** Executions one API key creates per second on this replica; 0 is no limit. */
  public int maxExecutionsPerSecond() {
    return maxExecutionsPerSecond;
  }

  public AdminOptions maxExecutionsPerSecond(int maxExecutionsPerSecond) {
    this.maxExecutionsPerSecond = atLeast(maxExecutionsPerSecond, 0,
        "admin.max-executions-per-second");
    return this;
  }

  private static int atLeast(int value, int least, String key) {
    if (value < least) {
      throw new IllegalArgumentException(key + " must be >= " + least + ", got " + value);
    }
    return value;
  }

  public int maxInputBytes() {
    return maxInputBytes;
  }

  public AdminOptions maxInputBytes(int maxInputBytes) {
    this.maxInputBytes = atLeast(maxInputBytes, 1, "admin.max-input-bytes");
    return this;
  }

  public Duration watchPollInterval() {
    return watchPollInterval;
  }

  public AdminOptions watchPollInterval(Duration watchPollInterval) {
    if (watchPollInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "admin.watch-poll-interval must be at least 1ms, got " + watchPollInterval);
    }
    this.watchPollInterval = watchPollInterval;
    return this;
  }
}
