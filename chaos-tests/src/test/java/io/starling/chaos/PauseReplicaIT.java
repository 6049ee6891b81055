package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.RealTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chaos 2: a replica paused (SIGSTOP) past the failure detector; its shards move to the others;
 * it is resumed (SIGCONT). It lands no write (its writes and lease renewals are fenced), does
 * not take its shards back by force, and rejoins the cluster as a member.
 */
class PauseReplicaIT {

  @Test
  void aPausedReplicaThatWakesUpIsFencedAndRejoinsWithoutTakingItsShardsBack() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("pause-replica", 3)) {
      cluster.startAll(3);
      List<ExecutionIdentifier> ids = new ArrayList<>();
      try (AdminClient client = cluster.client()) {
        Workloads.register(client, cluster.directory(), 1_000, 200, "2s", 500);
        for (int i = 0; i < 3; i++) {
          ids.add(Workloads.launch(client, "fan", "fan-" + i, LiteralMap.getDefaultInstance()));
        }
      }
      String victimName = cluster.ownerOf(cluster.shardOf(ids.get(0)));
      ReplicaProcess victim = cluster.replica(victimName);
      cluster.awaitRunningNodes(ids.get(0), 100);
      Map<Integer, Long> before = cluster.epochs();
      System.out.println("pausing " + victim + "; leases " + cluster.leasesByOwner());
      victim.pause();
      RealTime.await("the others taking " + victimName + "'s shards", Duration.ofSeconds(60),
          () -> !cluster.leasesByOwner().contains(victimName));
      System.out.println("taken over: leases " + cluster.leasesByOwner() + "; resuming");
      victim.resume();

      List<WorkflowExecution.Phase> phases = Workloads.awaitEnd(cluster, ids);

      RealTime.await(victimName + " fenced", Duration.ofSeconds(30),
          () -> ChaosCluster.metric(victim, "starling_propeller_shards_lost_total") > 0);
      System.out.println(victimName + " lost " + ChaosCluster.metric(victim,
          "starling_propeller_shards_lost_total") + " shards to fencing; leases after: "
          + cluster.leasesByOwner());
      assertThat(victim.isAlive()).isTrue();
      assertThat(phases).containsOnly(WorkflowExecution.Phase.SUCCEEDED);
      assertThat(cluster.violations()).isEmpty();
      Map<Integer, Long> after = cluster.epochs();
      // A takeover is one epoch; the rebalance after the rejoin one or two more, and on a
      // loaded machine a member that misses heartbeats may cost another. Two replicas taking
      // a shard from each other would cost one per lease renewal: tens in this time.
      long most = after.entrySet().stream()
          .mapToLong(entry -> entry.getValue() - before.get(entry.getKey())).max().orElse(0);
      System.out.println("most epochs any shard went through: " + most);
      assertThat(most).isLessThanOrEqualTo(6);
    }
  }
}
