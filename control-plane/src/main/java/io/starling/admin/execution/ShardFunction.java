package io.starling.admin.execution;

import io.starling.admin.AdminOptions.ShardKey;

/**
 * Maps an execution to its shard: a stable hash of the shard key (the execution, its project,
 * or its project and domain) modulo the shard count. Stable across processes and versions:
 * {@link String#hashCode} is specified, and murmur3's finalizer spreads it.
 */
public final class ShardFunction {

  private final ShardKey key;
  private final int shards;

  public ShardFunction(ShardKey key, int shards) {
    this.key = key;
    this.shards = shards;
  }

  public int shardOf(String project, String domain, String name) {
    String shardKey = switch (key) {
      case EXECUTION -> project + "/" + domain + "/" + name;
      case PROJECT -> project;
      case PROJECT_DOMAIN -> project + "/" + domain;
    };
    return Math.floorMod(mix(shardKey.hashCode()), shards);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
