package io.starling.app.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RpcException;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.LoopbackPorts;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharding groups: a project pinned to its own replica group runs only there, every other
 * project on the wildcard group, and the admin of any replica routes to both; a project no
 * group serves is refused at registration, and a replica refuses to start on a database whose
 * launch plans its groups no longer serve.
 */
class ShardGroupsIT {

  private static final int PARTITIONS = 271;

  @TempDir Path directory;

  @Test
  @Timeout(180)
  void aPinnedProjectRunsOnItsGroupAndTheRestOnTheWildcardGroup() throws Exception {
    try (ReplicaSet set = new ReplicaSet(directory)) {
      int training = LoopbackPorts.reserve();
      int rest1 = LoopbackPorts.reserve();
      int rest2 = LoopbackPorts.reserve();
      Path config = groups(directory.resolve("groups.yaml"), training, List.of(rest1, rest2),
          "[alpha]", "['*']");
      Replica r1 = set.start(config, replica("r1", "rest", rest1));
      set.start(config, replica("r2", "rest", rest2));
      set.start(config, replica("t", "training", training));
      Leases.awaitHolders(set.database(), List.of("r1", "r2", "t"), 2 * PARTITIONS);
      assertThat(Leases.heldPerReplica(set.database())).containsEntry("t", PARTITIONS);

      AdminClient client = set.client(r1);
      RoutingIT.register(client, "alpha", "dev");
      RoutingIT.register(client, "beta", "dev");
      List<ExecutionIdentifier> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(RoutingIT.launch(client, "alpha", "dev", "quick", "a" + i));
        ids.add(RoutingIT.launch(client, "beta", "dev", "quick", "b" + i));
      }
      for (ExecutionIdentifier id : ids) {
        client.watch(id, event -> { });
        assertThat(RoutingIT.phase(client, id)).as(id.getName())
            .isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
      }
      assertThat(Leases.shardsOf(set.database(), "alpha"))
          .allSatisfy(shard -> assertThat(shard).isBetween(PARTITIONS, 2 * PARTITIONS - 1));
      assertThat(Leases.holdersOf(set.database(), "alpha")).containsExactly("t");
      assertThat(Leases.shardsOf(set.database(), "beta"))
          .allSatisfy(shard -> assertThat(shard).isBetween(0, PARTITIONS - 1));
      assertThat(Leases.holdersOf(set.database(), "beta")).containsExactlyInAnyOrder("r1", "r2");
    }
  }

  @Test
  @Timeout(180)
  void aProjectNoGroupServesIsRefusedAndSoIsAStartThatWouldStrandLaunchPlans() throws Exception {
    try (ReplicaSet set = new ReplicaSet(directory)) {
      int training = LoopbackPorts.reserve();
      int rest = LoopbackPorts.reserve();
      Path wildcard = groups(directory.resolve("wildcard.yaml"), training, List.of(rest),
          "[alpha]", "['*']");
      Replica replica = set.start(wildcard, replica("r", "rest", rest));
      AdminClient client = set.client(replica);
      RoutingIT.register(client, "beta", "dev");
      replica.close();

      Path pinned = groups(directory.resolve("pinned.yaml"), training, List.of(rest),
          "[alpha]", "[gamma]");
      assertThatThrownBy(() -> set.start(pinned, replica("r", "rest", rest)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("project 'beta' is served by no replica group")
          .hasMessageEndingWith("launch plans are registered there, and their executions would"
              + " never run");
      try (ReplicaSet fresh = new ReplicaSet(directory.resolve("fresh"))) {
        Replica started = fresh.start(pinned, replica("r", "rest", rest));
        assertThatThrownBy(() -> RoutingIT.register(fresh.client(started), "beta", "dev"))
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
              assertThat(e).hasMessageContaining("project 'beta' is served by no replica group");
            });
      }
    }
  }

  /** A groups file: "training" (id 1) and "rest" (id 0) with their members and projects. */
  private static Path groups(Path file, int trainingPort, List<Integer> restPorts,
      String trainingProjects, String restProjects) throws Exception {
    Files.writeString(file, """
        propeller: {scan-interval: 1h}
        sharding:
          strategy: project
          groups:
            training: {id: 1, projects: %s, members: ['127.0.0.1:%d']}
            rest: {id: 0, projects: %s, members: [%s]}
        """.formatted(trainingProjects, trainingPort, restProjects, String.join(", ",
        restPorts.stream().map(port -> "'127.0.0.1:" + port + "'").toList())));
    return file;
  }

  private static Map<String, String> replica(String id, String group, int port) {
    return Map.of("STARLING_PROPELLER_REPLICA_ID", id, "STARLING_SHARDING_GROUP", group,
        "STARLING_CLUSTER_PORT", Integer.toString(port));
  }
}
