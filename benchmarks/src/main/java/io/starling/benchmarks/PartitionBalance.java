package io.starling.benchmarks;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.starling.admin.AdminOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * How Hazelcast spreads Starling's 271 shards over M members (in this JVM, on loopback, with
 * the replicas' partition settings), and how many shards move when one member leaves
 * gracefully or one joins: the claim of the consistent-hash partitioning is that about the
 * leaver's (or the joiner's) share moves, not everything.
 *
 * <pre>benchmarks/run-partitions [M...]    (default: 3 5 9)</pre>
 */
public final class PartitionBalance {

  private static final int PARTITIONS = AdminOptions.DEFAULT_SHARD_COUNT;

  private PartitionBalance() {}

  public static void main(String[] args) {
    List<Integer> sizes = new ArrayList<>();
    for (String arg : args) {
      sizes.add(Integer.parseInt(arg));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(3, 5, 9);
    }
    System.out.println("members | shards per member (min-max) | moved when one leaves (its"
        + " share) | moved when one joins (its share)");
    for (int size : sizes) {
      measure(size);
    }
  }

  private static void measure(int size) {
    String cluster = "balance-" + UUID.randomUUID();
    int firstPort = 16_000 + 40 * size;
    List<HazelcastInstance> members = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        members.add(member(cluster, firstPort, size + 1, i));
      }
      Map<Integer, UUID> before = awaitSafe(members);
      Map<UUID, Integer> counts = perMember(before);
      int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
      int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();

      HazelcastInstance leaver = members.remove(size - 1);
      int leaversShare = counts.get(leaver.getCluster().getLocalMember().getUuid());
      leaver.shutdown();
      Map<Integer, UUID> afterLeave = awaitSafe(members);
      int movedOnLeave = moved(before, afterLeave);

      HazelcastInstance joiner = member(cluster, firstPort, size + 1, size);
      members.add(joiner);
      Map<Integer, UUID> afterJoin = awaitSafe(members);
      int movedOnJoin = moved(afterLeave, afterJoin);
      int joinersShare = perMember(afterJoin)
          .getOrDefault(joiner.getCluster().getLocalMember().getUuid(), 0);

      System.out.printf("%d | %d-%d | %d (%d) | %d (%d)%n", size, min, max, movedOnLeave,
          leaversShare, movedOnJoin, joinersShare);
    } finally {
      members.forEach(HazelcastInstance::shutdown);
    }
  }

  private static HazelcastInstance member(String cluster, int firstPort, int count, int index) {
    Config config = new Config().setClusterName(cluster)
        .setProperty("hazelcast.logging.type", "none")
        .setProperty("hazelcast.phone.home.enabled", "false")
        .setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
    config.getJetConfig().setEnabled(false);
    config.getNetworkConfig().setPort(firstPort + index).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    var join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true);
    for (int i = 0; i < count; i++) {
      tcp.addMember("127.0.0.1:" + (firstPort + i));
    }
    return Hazelcast.newHazelcastInstance(config);
  }

  /** Waits until no migration runs and every partition has an owner; returns the owners. */
  private static Map<Integer, UUID> awaitSafe(List<HazelcastInstance> members) {
    HazelcastInstance any = members.get(0);
    while (true) {
      if (any.getCluster().getMembers().size() == members.size()
          && any.getPartitionService().isClusterSafe()) {
        Map<Integer, UUID> owners = new HashMap<>();
        for (Partition partition : any.getPartitionService().getPartitions()) {
          Member owner = partition.getOwner();
          if (owner == null) {
            owners = null;
            break;
          }
          owners.put(partition.getPartitionId(), owner.getUuid());
        }
        if (owners != null) {
          return owners;
        }
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  private static Map<UUID, Integer> perMember(Map<Integer, UUID> owners) {
    Map<UUID, Integer> counts = new HashMap<>();
    owners.values().forEach(owner -> counts.merge(owner, 1, Integer::sum));
    return counts;
  }

  private static int moved(Map<Integer, UUID> before, Map<Integer, UUID> after) {
    int moved = 0;
    for (Map.Entry<Integer, UUID> entry : before.entrySet()) {
      if (!entry.getValue().equals(after.get(entry.getKey()))) {
        moved++;
      }
    }
    return moved;
  }
}
