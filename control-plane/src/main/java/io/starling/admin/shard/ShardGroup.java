package io.starling.admin.shard;

import java.util.Set;

/**
 * Replicas that run the executions of some projects (or domains) between them, in a Hazelcast
 * cluster of their own whose partitions spread those executions. {@code id} places the group's
 * shards: {@code id × partitions} up to the next group's; {@code entities} are the projects or
 * domains it serves, {@code *} for all that no other group lists.
 */
public record ShardGroup(String name, int id, Set<String> entities) {

  /** The entity of the group that serves everything no other group lists. */
  public static final String WILDCARD = "*";

  public ShardGroup {
    entities = Set.copyOf(entities);
  }

  boolean wildcard() {
    return entities.contains(WILDCARD);
  }
}
