package io.starling.app.replica;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;

/**
 * The owner of a Hazelcast partition by its id, on a member or a client. Hazelcast's
 * {@code getPartition(key)} hashes the key it is given, so a shard number passed there names
 * some other partition; this looks the partition up by id instead. Its {@link Partition}s are
 * live views, so the table is read once, when the cluster has told its partition count.
 */
final class PartitionTable {

  private final HazelcastInstance hazelcast;
  private volatile Partition[] byId = new Partition[0];

  PartitionTable(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /** The member that owns partition {@code id} now; null while none does or none is known. */
  Member owner(int id) {
    Partition[] partitions = byId;
    if (partitions.length == 0) {
      partitions = load();
    }
    return id >= 0 && id < partitions.length ? partitions[id].getOwner() : null;
  }

  private synchronized Partition[] load() {
    if (byId.length == 0 && hazelcast.getLifecycleService().isRunning()) {
      try {
        var all = hazelcast.getPartitionService().getPartitions();
        Partition[] partitions = new Partition[all.size()];
        for (Partition partition : all) {
          partitions[partition.getPartitionId()] = partition;
        }
        byId = partitions;
      } catch (RuntimeException clientNotConnectedYet) {
        // a client that has not reached its cluster: no owner is known, try again next time
      }
    }
    return byId;
  }
}
