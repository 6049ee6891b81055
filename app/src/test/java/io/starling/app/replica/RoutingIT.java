package io.starling.app.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Cluster;
import io.starling.proto.admin.ClusterDescribeRequest;
import io.starling.proto.admin.ClusterServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ReplicaStatus;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.LoopbackPorts;
import io.starling.schema.RealTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin of any replica hands a new execution to the replica that owns its shard at once:
 * with the periodic scan an hour away, only the routed notification can start it.
 */
class RoutingIT {

  @TempDir Path directory;

  @Test
  @Timeout(120)
  void anExecutionCreatedOnOneReplicaStartsAtOnceOnTheOwnerOfItsShard() throws Exception {
    try (ReplicaSet set = new ReplicaSet(directory)) {
      Replica a = startAB(set, Map.of("STARLING_PROPELLER_SCAN_INTERVAL", "1h")).get(0);
      Leases.awaitHolders(set.database(), List.of("a", "b"), 271);
      AdminClient client = set.client(a);
      register(client, "routing", "test");

      List<ExecutionIdentifier> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ids.add(launch(client, "routing", "test", "quick", "r" + i));
      }

      for (ExecutionIdentifier id : ids) {
        client.watch(id, event -> { });
        assertThat(phase(client, id)).as(id.getName())
            .isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
      }
      assertThat(Leases.holdersOf(set.database(), "routing")).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  @Timeout(120)
  void eachReplicaAppearsOnceWithTheShardsItHoldsAndAStoppedOneIsGone() throws Exception {
    try (ReplicaSet set = new ReplicaSet(directory)) {
      List<Replica> ab = startAB(set, Map.of());
      Replica a = ab.get(0);
      Replica b = ab.get(1);
      Leases.insertStaleReplica(set.database(), "gone");
      RealTime.await("both replicas to hold shards of both roles", Duration.ofSeconds(60), () ->
          describe(set.client(a)).getReplicasList().stream().allMatch(replica ->
              replica.getPropellerShardsCount() > 0 && replica.getSchedulerShardsCount() > 0));

      Cluster fromA = describe(set.client(a));
      Cluster fromB = describe(set.client(b));

      for (Cluster cluster : List.of(fromA, fromB)) {
        assertThat(cluster.getReplicasList()).extracting(ReplicaStatus::getId)
            .containsExactly("a", "b");
        assertEveryShardOnce(cluster, ReplicaStatus::getPropellerShardsList,
            cluster.getUnheldPropellerShardsList());
        assertEveryShardOnce(cluster, ReplicaStatus::getSchedulerShardsList,
            cluster.getUnheldSchedulerShardsList());
      }
      assertThat(fromA.getReplicasList()).extracting(ReplicaStatus::getSelf)
          .containsExactly(true, false);
      assertThat(fromB.getReplicasList()).extracting(ReplicaStatus::getSelf)
          .containsExactly(false, true);
      assertThat(fromA.getReplicas(1).getGrpcAddress()).isEqualTo("127.0.0.1:" + b.grpcPort());

      b.close();
      assertThat(describe(set.client(a)).getReplicasList()).extracting(ReplicaStatus::getId)
          .as("a replica that stopped deletes its status").containsExactly("a");
    }
  }

  /** Held by one listed replica or unheld, never both, never by two: at any instant. */
  private static void assertEveryShardOnce(Cluster cluster,
      Function<ReplicaStatus, List<Integer>> held, List<Integer> unheld) {
    List<Integer> shards = new ArrayList<>(unheld);
    cluster.getReplicasList().forEach(replica -> shards.addAll(held.apply(replica)));
    assertThat(shards).as("every shard once").hasSize(271).doesNotHaveDuplicates();
  }

  private static Cluster describe(AdminClient client) {
    return client.call(ClusterServiceGrpcClient.DescribeCluster,
        ClusterDescribeRequest.getDefaultInstance());
  }

  /** Replicas a and b, members of one cluster on ports reserved here, with {@code extra}. */
  private static List<Replica> startAB(ReplicaSet set, Map<String, String> extra) {
    int portA = LoopbackPorts.reserve();
    int portB = LoopbackPorts.reserve();
    Map<String, String> common = new HashMap<>(extra);
    common.put("STARLING_CLUSTER_MEMBERS", "127.0.0.1:" + portA + ",127.0.0.1:" + portB);
    Replica a = set.start(with(common, "STARLING_CLUSTER_PORT", portA, "a"));
    return List.of(a, set.start(with(common, "STARLING_CLUSTER_PORT", portB, "b")));
  }

  private static Map<String, String> with(Map<String, String> common, String portKey, int port,
      String replica) {
    Map<String, String> settings = new HashMap<>(common);
    settings.put(portKey, Integer.toString(port));
    settings.put("STARLING_PROPELLER_REPLICA_ID", replica);
    return settings;
  }

  static WorkflowExecution.Phase phase(AdminClient client, ExecutionIdentifier id) {
    return client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build()).getClosure().getPhase();
  }

  static void register(AdminClient client, String project, String domain) throws Exception {
    Path file = Files.createTempFile("quick", ".yaml");
    Files.writeString(file, """
        project: %s
        domain: %s
        tasks:
          - {name: nothing, version: v1, type: noop}
        workflows:
          - {name: quick, version: v1, nodes: [{id: only, task: nothing}]}
        launch_plans:
          - {name: quick, version: v1}
        """.formatted(project, domain));
    RegisterCommand.register(client, new SpecReader(id -> {
      throw new IllegalArgumentException("unknown task " + id);
    }).read(file), new PrintStream(new ByteArrayOutputStream()));
    Files.delete(file);
  }

  static ExecutionIdentifier launch(AdminClient client, String project, String domain,
      String plan, String name) {
    return client.call(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest.newBuilder()
        .setProject(project).setDomain(domain).setName(name)
        .setLaunchPlan(Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
            .setProject(project).setDomain(domain).setName(plan).setVersion("v1"))
        .build()).getId();
  }
}
