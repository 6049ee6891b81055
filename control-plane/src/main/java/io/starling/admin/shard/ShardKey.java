package io.starling.admin.shard;

/** What the hash that spreads executions over the partitions of their group is taken of. */
public enum ShardKey {
  /** Each execution on its own: the most even spread. */
  EXECUTION,
  /** All executions of a project on one partition. */
  PROJECT,
  /** All executions of a project and domain on one partition. */
  PROJECT_DOMAIN
}
