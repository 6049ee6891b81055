package io.starling.benchmarks;

import io.starling.app.cli.AdminClient;
import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import io.starling.sdk.Starling;
import io.starling.sdk.Task;
import io.starling.sdk.TaskMethod;
import io.starling.sdk.Type;
import io.starling.sdk.Worker;
import io.starling.sdk.Workflow;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a task on a Java worker adds to an execution's latency against the in-JVM {@code noop}:
 * a one-node workflow {@code echo(x)} registered twice, its task once of type {@code worker}
 * (served by one Java worker of the SDK over loopback) and once of type {@code noop}; RUNS
 * executions of each, one at a time and alternating, timed from the launch to the end read
 * back (the watch polling every millisecond). The first tenth warms up and is not counted.
 * <pre>benchmarks/run-worker-latency [RUNS]</pre>
 */
public final class WorkerLatencyHarness {

  private static final String PROJECT = "bench";
  private static final String DOMAIN = "latency";

  private WorkerLatencyHarness() {}

  @TaskMethod
  static void echo(long x) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Map<String, String> environment = SandboxSettings.of(
        Files.createTempDirectory("starling-bench"));
    environment.putIfAbsent("STARLING_DATABASE_DURABLE", "false");
    // The end is read by WatchExecution, which polls; at its default (200 ms) the poll, not
    // the task, would be what is measured.
    environment.putIfAbsent("STARLING_ADMIN_WATCH_POLL_INTERVAL", "1ms");
    Workflow.Builder builder = Workflow.named("echo");
    Workflow.Value<Long> x = builder.input("x", Type.INTEGER);
    builder.task(Task.method(WorkerLatencyHarness.class, "echo")).bind("x", x);
    Workflow workflow = builder.build();
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment));
        AdminClient admin = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      String server = "127.0.0.1:" + sandbox.grpcPort();
      registerNoop(admin);
      try (Starling starling = Starling.connect(server, PROJECT, DOMAIN);
          Worker worker = Worker.start(server, PROJECT, DOMAIN, "echo", workflow.tasks(), 16,
              1)) {
        starling.register("worker", "echo", List.of(workflow));
        int warmup = runs / 10;
        long[] onWorker = new long[runs - warmup];
        long[] noop = new long[runs - warmup];
        for (int i = 0; i < runs; i++) {
          long viaWorker = time(starling, workflow, "worker", i);
          long inJvm = time(starling, workflow, "noop", i);
          if (i >= warmup) {
            onWorker[i - warmup] = viaWorker;
            noop[i - warmup] = inJvm;
          }
        }
        Arrays.sort(onWorker);
        Arrays.sort(noop);
        System.out.printf("machine: %d cores; %d executions of each, one at a time%n",
            Runtime.getRuntime().availableProcessors(), onWorker.length);
        print("noop", noop);
        print("worker", onWorker);
        System.out.printf("result added p50=%.1fms p99=%.1fms%n",
            (percentile(onWorker, 0.50) - percentile(noop, 0.50)) / 1e6,
            (percentile(onWorker, 0.99) - percentile(noop, 0.99)) / 1e6);
      }
    }
  }

  private static long time(Starling starling, Workflow workflow, String version, long x) {
    long start = System.nanoTime();
    starling.await(starling.launch(workflow, version, Map.of("x", x)), workflow);
    return System.nanoTime() - start;
  }

  private static void print(String kind, long[] sorted) {
    System.out.printf("result %s p50=%.1fms p99=%.1fms max=%.1fms%n", kind,
        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static long percentile(long[] sorted, double rank) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(rank * sorted.length) - 1)];
  }

  /** Task, workflow and launch plan {@code echo} at version {@code noop}, of the noop type. */
  private static void registerNoop(AdminClient admin) {
    Variable integer = Variable.newBuilder().setType(LiteralType.newBuilder()
        .setSimple(SimpleType.INTEGER)).build();
    TypedInterface types = TypedInterface.newBuilder().putInputs("x", integer).build();
    admin.call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK)).setSpec(TaskTemplate.newBuilder().setType("noop")
            .setInterface(types)).build());
    admin.call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW)).setSpec(WorkflowTemplate.newBuilder()
            .setInterface(types).addNodes(Node.newBuilder().setId("n0")
                .setTaskNode(TaskNode.newBuilder().setTaskId(id(ResourceType.TASK)))
                .addInputs(Binding.newBuilder().setVar("x")
                    .setBinding(BindingData.newBuilder().setWorkflowInput("x"))))).build());
    admin.call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN)).setSpec(LaunchPlanSpec.newBuilder()
            .setWorkflowId(id(ResourceType.WORKFLOW))).build());
  }

  private static Identifier id(ResourceType type) {
    return Identifier.newBuilder().setResourceType(type).setProject(PROJECT).setDomain(DOMAIN)
        .setName("echo").setVersion("noop").build();
  }
}
