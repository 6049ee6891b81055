package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chaos 1: fan-outs of 2,000 nodes and maps of 5,000 items run across three replicas; one
 * replica is killed with SIGKILL mid-run. Its shards move to the others, which resume what it
 * ran: every execution succeeds, no node succeeds twice, nothing is lost.
 */
class KillReplicaIT {

  @Test
  void aReplicaKilledMidRunLosesNothingAndDoublesNothing() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("kill-replica", 3)) {
      cluster.startAll(3);
      List<ExecutionIdentifier> ids = new ArrayList<>();
      try (AdminClient client = cluster.client()) {
        Workloads.register(client, cluster.directory(), 2_000, 500, "1s", 1_000);
        for (int i = 0; i < 3; i++) {
          ids.add(Workloads.launch(client, "fan", "fan-" + i, LiteralMap.getDefaultInstance()));
          ids.add(Workloads.launch(client, "map", "map-" + i, Workloads.items(5_000)));
        }
      }
      String victim = cluster.ownerOf(cluster.shardOf(ids.get(0)));
      cluster.awaitRunningNodes(ids.get(0), 100);
      System.out.println("leases before: " + cluster.leasesByOwner() + "; killing " + victim
          + ", the owner of " + ids.get(0).getName());
      cluster.replica(victim).kill();

      List<WorkflowExecution.Phase> phases = Workloads.awaitEnd(cluster, ids);

      System.out.println("leases after: " + cluster.leasesByOwner());
      assertThat(phases).containsOnly(WorkflowExecution.Phase.SUCCEEDED);
      assertThat(cluster.query("SELECT count(*) FROM node_executions WHERE phase = 3"))
          .isEqualTo(Integer.toString(3 * 2_000 + 3));
      for (int i = 0; i < 3; i++) {
        assertThat(cluster.succeededSubtasks(ids.get(2 * i + 1), "each")).isEqualTo(5_000);
      }
      assertThat(cluster.violations()).isEmpty();
      System.out.println("lost attempts rerun: " + cluster.query(
          "SELECT count(*) FROM task_executions WHERE phase = 4"));
    }
  }
}
