package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.RealTime;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Chaos 3: PostgreSQL stopped for ten seconds mid-run, then started again. The replicas retry
 * (no crash, no spinning: the log says once that the database went away and once that it came
 * back) and finish everything; meanwhile /readyz says 503 and /livez 200.
 */
class DatabaseOutageIT {

  @Test
  void theReplicasRideOutATenSecondOutageOfTheDatabase() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("database-outage", 3)) {
      List<ReplicaProcess> replicas = cluster.startAll(3);
      List<ExecutionIdentifier> ids = new ArrayList<>();
      try (AdminClient client = cluster.client()) {
        Workloads.register(client, cluster.directory(), 500, 100, "1s", 200);
        for (int i = 0; i < 3; i++) {
          ids.add(Workloads.launch(client, "fan", "fan-" + i, LiteralMap.getDefaultInstance()));
          ids.add(Workloads.launch(client, "map", "map-" + i, Workloads.items(1_000)));
        }
      }
      cluster.awaitRunningNodes(ids.get(0), 50);
      System.out.println("stopping PostgreSQL for 10 s");
      cluster.postgres().stop();
      // Not ready without the database, yet alive: the outage must not restart replicas.
      assertThat(ChaosCluster.probe(replicas.get(0), "/readyz")).isEqualTo(503);
      assertThat(ChaosCluster.probe(replicas.get(0), "/livez")).isEqualTo(200);
      TimeUnit.SECONDS.sleep(10); // the outage itself
      cluster.postgres().restart();
      System.out.println("PostgreSQL is back");
      RealTime.await("replica-0 ready again", java.time.Duration.ofSeconds(30),
          () -> ChaosCluster.probe(replicas.get(0), "/readyz") == 200);

      List<WorkflowExecution.Phase> phases = Workloads.awaitEnd(cluster, ids);

      assertThat(phases).containsOnly(WorkflowExecution.Phase.SUCCEEDED);
      assertThat(replicas).allMatch(ReplicaProcess::isAlive);
      for (int i = 0; i < 3; i++) {
        long lost = Files.readAllLines(cluster.directory().resolve("replica-" + i + ".log"))
            .stream().filter(line -> line.contains("the database does not answer")).count();
        System.out.println("replica-" + i + ": " + lost + " outage lines in its log");
        assertThat(lost).as("outage lines of replica-" + i).isBetween(1L, 6L);
      }
      assertThat(cluster.violations()).isEmpty();
    }
  }
}
