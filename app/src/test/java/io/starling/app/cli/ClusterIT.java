package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.proto.admin.Cluster;
import io.starling.proto.admin.ClusterDescribeRequest;
import io.starling.proto.admin.ClusterServiceGrpcClient;
import io.starling.proto.admin.ReplicaStatus;
import io.starling.proto.admin.WorkerSessionStatus;
import io.starling.schema.RealTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DescribeCluster and {@code starling cluster} against a sandbox: one replica, all its own. */
class ClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<Integer> ALL_SHARDS = IntStream.range(0, 271).boxed().toList();

  @TempDir static Path data;
  private static RunningSandbox running;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data, Map.of("STARLING_DATABASE_DURABLE", "false",
        "STARLING_PROPELLER_REPLICA_ID", "solo"));
    RealTime.await("the sandbox to hold every shard", WAIT, () -> {
      ReplicaStatus self = describe().getReplicas(0);
      return self.getPropellerShardsCount() == 271 && self.getSchedulerShardsCount() == 271;
    });
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  private static Cluster describe() {
    return running.client.call(ClusterServiceGrpcClient.DescribeCluster,
        ClusterDescribeRequest.getDefaultInstance());
  }

  @Test
  void theSandboxDescribesItselfWithEveryShardAndItsConnectedWorker() throws Exception {
    try (TestWorker worker = TestWorker.hello(running.sandbox.grpcPort(), "cluster-queue", 3)) {
      assertThat(worker.next(WAIT).hasWelcome()).isTrue();

      Cluster cluster = describe();

      assertThat(cluster.getShards()).isEqualTo(271);
      assertThat(cluster.getUnheldPropellerShardsList()).isEmpty();
      assertThat(cluster.getUnheldSchedulerShardsList()).isEmpty();
      assertThat(cluster.getReplicasList()).hasSize(1);
      ReplicaStatus self = cluster.getReplicas(0);
      assertThat(self.getId()).isEqualTo("solo");
      assertThat(self.getSelf()).isTrue();
      assertThat(self.getGrpcAddress()).isEqualTo("127.0.0.1:" + running.sandbox.grpcPort());
      assertThat(self.getRolesList()).containsExactly("admin", "propeller", "scheduler");
      assertThat(self.hasStartedAt()).isTrue();
      assertThat(self.getGroup()).isEqualTo("all");
      assertThat(self.getPropellerShardsList()).isEqualTo(ALL_SHARDS);
      assertThat(self.getSchedulerShardsList()).isEqualTo(ALL_SHARDS);
      assertThat(self.getWorkersList()).containsExactly(WorkerSessionStatus.newBuilder()
          .setWorkerId("test").addQueues("default/development/cluster-queue").setCapacity(3)
          .setFree(3).build());
      assertThat(self.getFreeCapacity()).isEqualTo(3);
    }
    RealTime.await("the worker to be gone", WAIT,
        () -> describe().getReplicas(0).getWorkersCount() == 0);
  }

  @Test
  void theCommandPrintsTheReplicasAsATableAndAsJson() throws Exception {
    CommandLineRun table = running.cli("cluster");
    CommandLineRun json = running.cli("cluster", "-o", "json");
    CommandLineRun help = running.cli("cluster", "--help");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).containsPattern("solo \\* +127\\.0\\.0\\.1:\\d+ +admin,propeller,"
        + "scheduler +\\S+Z +271 +271 +\\d+ +\\d+")
        .contains("solo propeller shards: 0-270; scheduler shards: 0-270",
            "unheld propeller shards: none; scheduler shards: none (of 271 per group)");
    JsonNode parsed = new ObjectMapper().readTree(json.out());
    assertThat(parsed.at("/replicas/0/id").asText()).isEqualTo("solo");
    assertThat(parsed.at("/replicas/0/self").asBoolean()).isTrue();
    assertThat(parsed.at("/replicas/0/propeller_shards").size()).isEqualTo(271);
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--output");
  }
}
