package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.RealTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Chaos 6: a split brain. Each replica runs in a network namespace of its own; one is cut off
 * from the other two while all three still reach PostgreSQL. Both sides believe they own the
 * shards of the other; the leases decide: whoever acquires a shard last runs it, the other side
 * is fenced and does not take it back while the winner renews it. After the heal the smaller
 * side merges into the larger, every shard has one owner again, and nothing was corrupted or
 * lost.
 */
class SplitBrainIT {

  @Test
  void aSplitBrainWhereBothSidesReachTheDatabaseCorruptsAndLosesNothing() throws Exception {
    try (Namespaces namespaces = new Namespaces(3);
        ChaosCluster cluster = new ChaosCluster("split-brain", 3, namespaces)) {
      List<ReplicaProcess> replicas = cluster.startAll(3);
      try (AdminClient client = cluster.client()) {
        Workloads.register(client, cluster.directory(), 200, 50, "1s", 100);
        for (int i = 0; i < 30; i++) {
          Workloads.launch(client, "fan", "fan-" + i, LiteralMap.getDefaultInstance());
        }
      }
      System.out.println("before the split: leases " + cluster.leasesByOwner());
      int ownedBefore = cluster.leasesOf("replica-0");
      namespaces.cut(0);
      System.out.println("replica-0 cut off from the others");
      // Each side takes the shards its partition table gives it, the other side's; the side
      // that acquires a shard last runs it, the other is fenced and lets it go.
      RealTime.await("both sides to take the other's shards", Duration.ofSeconds(60),
          () -> cluster.leasesOf("replica-0") != ownedBefore
              && owned(replicas).stream().mapToInt(Integer::intValue).sum() == 271);
      TimeUnit.SECONDS.sleep(5); // let the split run: both sides keep working
      System.out.println("during the split: owned " + owned(replicas) + ", leases "
          + cluster.leasesByOwner());
      namespaces.heal(0);
      System.out.println("healed");

      RealTime.await("the sides to merge into one cluster", Duration.ofSeconds(90), () -> {
        for (ReplicaProcess replica : replicas) {
          if (ChaosCluster.metric(replica, "starling_cluster_members") != 3) {
            return false;
          }
        }
        return true;
      });
      RealTime.await("one owner per shard, spread over the three", Duration.ofSeconds(90), () ->
          owned(replicas).stream().mapToInt(Integer::intValue).sum() == 271
              && owned(replicas).stream().allMatch(shards -> shards >= 80));
      System.out.println("after the heal: owned " + owned(replicas) + ", leases "
          + cluster.leasesByOwner());

      assertThat(cluster.awaitAllEnded(Duration.ofSeconds(120)))
          .isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE + ":30");
      assertThat(cluster.violations()).isEmpty();
      // A hand-over still in flight after the merge leaves its shard unleased for a moment.
      RealTime.await("every shard leased once", Duration.ofSeconds(30), () -> cluster.query(
          "SELECT count(*) FROM shard_leases WHERE released_at IS NULL").equals("271"));
    }
  }

  private static int ownedShards(ReplicaProcess replica) throws Exception {
    return (int) ChaosCluster.metric(replica, "starling_propeller_owned_shards");
  }

  private static List<Integer> owned(List<ReplicaProcess> replicas) throws Exception {
    List<Integer> owned = new java.util.ArrayList<>();
    for (ReplicaProcess replica : replicas) {
      owned.add(ownedShards(replica));
    }
    return owned;
  }
}
