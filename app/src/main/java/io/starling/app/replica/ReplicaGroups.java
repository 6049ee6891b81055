package io.starling.app.replica;

import io.starling.admin.shard.ShardGroup;
import io.starling.admin.shard.ShardMap;
import java.util.Map;
import java.util.Optional;

/**
 * The replica groups of a deployment as one replica sees them: the shard map they share, the
 * group this replica's propeller runs (under the hash strategy, the one group of every
 * replica), and how each group's Hazelcast cluster is reached, by group id. Every replica
 * reads the same groups; only {@code sharding.group} differs.
 */
public record ReplicaGroups(ShardMap map, Optional<ShardGroup> own,
    Map<Integer, ClusterOptions> clusters) {

  public ReplicaGroups {
    clusters = Map.copyOf(clusters);
  }

  /** The cluster this replica is a member of, if any (the hash strategy's, or its group's). */
  Optional<ClusterOptions> ownCluster() {
    return own.map(group -> clusters.get(group.id()));
  }

  /** Whether this replica is a member of every group's cluster: the one-group hash strategy. */
  boolean single() {
    return map.strategy() == ShardMap.Strategy.HASH;
  }
}
