package io.starling.propeller.ownership;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shards are Hazelcast partitions: shard {@code i} belongs to the member that owns partition
 * {@code i}, so the partition table decides which replica runs which executions.
 */
public final class HazelcastShards {

  private HazelcastShards() {}

  /** The shards whose partitions the local member owns now. */
  public static Set<Integer> ownedBy(HazelcastInstance hazelcast) {
    var local = hazelcast.getCluster().getLocalMember();
    Set<Integer> shards = new TreeSet<>();
    for (Partition partition : hazelcast.getPartitionService().getPartitions()) {
      if (local.equals(partition.getOwner())) {
        shards.add(partition.getPartitionId());
      }
    }
    return shards;
  }
}
