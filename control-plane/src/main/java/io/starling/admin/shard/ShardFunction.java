package io.starling.admin.shard;

/**
 * Maps an execution to a partition of its group: a stable hash of the shard key (the execution,
 * its project, or its project and domain) modulo the partition count. Stable across processes
 * and versions: {@link String#hashCode} is specified, and murmur3's finalizer spreads it.
 */
final class ShardFunction {

  private final ShardKey key;
  private final int partitions;

  ShardFunction(ShardKey key, int partitions) {
    this.key = key;
    this.partitions = partitions;
  }

  int partitionOf(String project, String domain, String name) {
    String shardKey = switch (key) {
      case EXECUTION -> project + "/" + domain + "/" + name;
      case PROJECT -> project;
      case PROJECT_DOMAIN -> project + "/" + domain;
    };
    return Math.floorMod(mix(shardKey.hashCode()), partitions);
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
