package io.starling.chaos;

import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflows of the chaos tests and how they are launched and awaited: a fan-out of sleep
 * tasks and a map of sleep subtasks, long enough for a replica to be killed or paused mid-run.
 */
final class Workloads {

  static final String PROJECT = "chaos";
  static final String DOMAIN = "test";

  private Workloads() {}

  /**
   * Registers {@code fan} (width nodes that each sleep {@code sleep}, max_parallelism
   * {@code parallelism}) and {@code map} (a map of one sleep per item, {@code concurrency} at a
   * time), both returning nothing, and {@code quick} (one node).
   */
  static void register(AdminClient client, Path directory, int width, int parallelism,
      String sleep, int concurrency) throws Exception {
    StringBuilder spec = new StringBuilder("""
        project: %s
        domain: %s
        tasks:
          - {name: pause, version: v1, type: sleep, config: {duration: %s}}
          - {name: item, version: v1, type: sleep, inputs: {a: integer}, config: {duration: %s}}
          - {name: nothing, version: v1, type: noop}
        workflows:
          - name: quick
            version: v1
            nodes:
              - {id: only, task: nothing}
          - name: map
            version: v1
            inputs: {xs: list<integer>}
            nodes:
              - {id: each, map: item, inputs: {a: '{{inputs.xs}}'}, concurrency: %d}
          - name: fan
            version: v1
            nodes:
        """.formatted(PROJECT, DOMAIN, sleep, sleep, concurrency));
    for (int i = 0; i < width; i++) {
      spec.append("      - {id: n").append(i).append(", task: pause}\n");
    }
    spec.append("""
        launch_plans:
          - {name: quick, version: v1}
          - {name: map, version: v1}
          - {name: fan, version: v1, max_parallelism: %d}
        """.formatted(parallelism));
    Path file = directory.resolve("workloads.yaml");
    Files.writeString(file, spec);
    RegisterCommand.register(client, new SpecReader(id -> {
      throw new IllegalArgumentException("unknown task " + id);
    }).read(file), new PrintStream(new ByteArrayOutputStream()));
  }

  static ExecutionIdentifier launch(AdminClient client, String plan, String name, LiteralMap inputs) {
    return client.call(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest.newBuilder()
        .setProject(PROJECT).setDomain(DOMAIN).setName(name)
        .setLaunchPlan(Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
            .setProject(PROJECT).setDomain(DOMAIN).setName(plan).setVersion("v1"))
        .setInputs(inputs).build()).getId();
  }

  static LiteralMap items(int count) {
    LiteralCollection.Builder xs = LiteralCollection.newBuilder();
    for (int i = 0; i < count; i++) {
      xs.addLiterals(Literal.newBuilder().setInteger(i));
    }
    return LiteralMap.newBuilder().putLiterals("xs", Literal.newBuilder().setCollection(xs).build())
        .build();
  }

  static Execution get(AdminClient client, ExecutionIdentifier id) {
    return client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build());
  }

  /**
   * Follows each execution's WatchExecution stream until it ends, on whichever replica of
   * {@code cluster} runs (a stream cut by a dying replica is opened again on another).
   */
  static List<WorkflowExecution.Phase> awaitEnd(ChaosCluster cluster,
      List<ExecutionIdentifier> ids) {
    List<WorkflowExecution.Phase> phases = new ArrayList<>();
    for (ExecutionIdentifier id : ids) {
      while (true) {
        try (AdminClient client = cluster.client()) {
          client.watch(id, event -> { });
          phases.add(get(client, id).getClosure().getPhase());
          break;
        } catch (RuntimeException streamCut) {
          System.out.println("watch of " + id.getName() + " cut (" + streamCut.getMessage()
              + "); watching again");
        }
      }
    }
    return phases;
  }
}
