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
import org.junit.jupiter.api.Test;

/**
 * Chaos 5: scaling out live. One replica runs 200 executions; two more start. The partitions
 * spread (each replica ends up with about a third of the shards), every execution finishes,
 * none twice.
 */
class ScaleOutIT {

  @Test
  void replicasAddedLiveTakeAThirdOfTheShardsEachAndNothingRunsTwice() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("scale-out", 3)) {
      cluster.start(0);
      List<ExecutionIdentifier> ids = new ArrayList<>();
      try (AdminClient client = cluster.client()) {
        Workloads.register(client, cluster.directory(), 20, 5, "500ms", 5);
        for (int i = 0; i < 200; i++) {
          ids.add(Workloads.launch(client, "fan", "run-" + i, LiteralMap.getDefaultInstance()));
        }
      }
      System.out.println("one replica: leases " + cluster.leasesByOwner());
      cluster.start(1);
      cluster.start(2);

      List<WorkflowExecution.Phase> phases = Workloads.awaitEnd(cluster, ids);
      RealTime.await("the shards spread over three", Duration.ofSeconds(60), () -> {
        String leases = cluster.leasesByOwner();
        return leases != null && leases.split(" ").length == 3;
      });

      System.out.println("three replicas: leases " + cluster.leasesByOwner());
      assertThat(phases).containsOnly(WorkflowExecution.Phase.SUCCEEDED);
      for (String owner : cluster.leasesByOwner().split(" ")) {
        int shards = Integer.parseInt(owner.substring(owner.indexOf('=') + 1));
        assertThat(shards).as(owner).isBetween(80, 100);
      }
      assertThat(cluster.violations()).isEmpty();
    }
  }
}
