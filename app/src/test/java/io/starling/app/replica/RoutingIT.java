package io.starling.app.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.LoopbackPorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      int portA = LoopbackPorts.reserve();
      int portB = LoopbackPorts.reserve();
      Map<String, String> common = new HashMap<>();
      common.put("STARLING_CLUSTER_MEMBERS", "127.0.0.1:" + portA + ",127.0.0.1:" + portB);
      common.put("STARLING_PROPELLER_SCAN_INTERVAL", "1h");
      Replica a = set.start(with(common, "STARLING_CLUSTER_PORT", portA, "a"));
      set.start(with(common, "STARLING_CLUSTER_PORT", portB, "b"));
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
