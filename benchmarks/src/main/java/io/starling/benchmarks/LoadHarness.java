package io.starling.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.config.StarlingConfig;
import io.starling.app.sandbox.Sandbox;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionList;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.NodeExecutionList;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end harness: a sandbox on embedded PostgreSQL (durable commits), N executions of a
 * K-node fan-out of {@code noop} tasks joined by one more node, launched over gRPC. Prints the
 * wall time from the first CreateExecution to the last terminal phase seen by a client, the
 * executions/s and node completions/s, and checks through the API that every node of every
 * execution is SUCCEEDED in the database.
 *
 * <pre>java -cp 'benchmarks/target/*:benchmarks/target/lib/*' io.starling.benchmarks.LoadHarness 1 1000</pre>
 */
public final class LoadHarness {

  private static final String PROJECT = "bench";

  private LoadHarness() {}

  public static void main(String[] args) throws Exception {
    int executions = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    PrintStream out = System.out;
    Path data = Files.createTempDirectory("starling-bench");
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("STARLING_DATABASE_DATA_DIR", data.toString());
    environment.put("STARLING_GRPC_PORT", "0");
    environment.put("STARLING_HTTP_PORT", "0");
    environment.putIfAbsent("STARLING_ADMIN_MAX_PARALLELISM", "0");
    String domain = "run" + ProcessHandle.current().pid();
    try (Sandbox sandbox = Sandbox.start(StarlingConfig.load(null, environment));
        AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      RegisterCommand.register(client, new SpecReader(id -> {
        throw new IllegalArgumentException("unknown task " + id);
      }).read(spec(domain, nodes)), new PrintStream(java.io.OutputStream.nullOutputStream()));
      Identifier plan = Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
          .setProject(PROJECT).setDomain(domain).setName("fan").setVersion("v1").build();

      long start = System.nanoTime();
      List<ExecutionIdentifier> ids = launch(client, plan, domain, executions);
      waitUntilNoneActive(client, domain);
      double seconds = (System.nanoTime() - start) / 1e9;

      int succeeded = 0;
      for (ExecutionIdentifier id : ids) {
        succeeded += succeededNodes(client, id);
      }
      long expected = (long) executions * (nodes + 1);
      out.printf("executions=%d nodes/execution=%d wall=%.3fs executions/s=%.1f node-completions/s=%.0f%n",
          executions, nodes + 1, seconds, executions / seconds, expected / seconds);
      out.printf("nodes SUCCEEDED in PostgreSQL: %d of %d%n", succeeded, expected);
      if (succeeded != expected) {
        System.exit(1);
      }
    }
  }

  private static List<ExecutionIdentifier> launch(AdminClient client, Identifier plan,
      String domain, int executions) throws Exception {
    ExecutorService launcher = Executors.newFixedThreadPool(8);
    try {
      List<Future<ExecutionIdentifier>> launched = new ArrayList<>();
      for (int i = 0; i < executions; i++) {
        String name = "e" + i;
        launched.add(launcher.submit(() -> client.call(AdminServiceGrpcClient.CreateExecution,
            ExecutionCreateRequest.newBuilder().setProject(PROJECT).setDomain(domain)
                .setName(name).setLaunchPlan(plan).build()).getId()));
      }
      List<ExecutionIdentifier> ids = new ArrayList<>();
      for (Future<ExecutionIdentifier> id : launched) {
        ids.add(id.get());
      }
      return ids;
    } finally {
      launcher.shutdownNow();
    }
  }

  /** Polls every 5 ms: the harness measures the platform, so its own wait must be short. */
  private static void waitUntilNoneActive(AdminClient client, String domain) {
    ExecutionListRequest active = ExecutionListRequest.newBuilder().setProject(PROJECT)
        .setDomain(domain).setLimit(1)
        .addPhases(WorkflowExecution.Phase.QUEUED).addPhases(WorkflowExecution.Phase.RUNNING)
        .addPhases(WorkflowExecution.Phase.FAILING).addPhases(WorkflowExecution.Phase.SUCCEEDING)
        .build();
    while (true) {
      ExecutionList list = client.call(AdminServiceGrpcClient.ListExecutions, active);
      if (list.getExecutionsCount() == 0) {
        return;
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  private static int succeededNodes(AdminClient client, ExecutionIdentifier id) {
    int succeeded = 0;
    String token = "";
    do {
      NodeExecutionList page = client.call(AdminServiceGrpcClient.ListNodeExecutions,
          NodeExecutionListRequest.newBuilder().setExecutionId(id).setLimit(1000).setToken(token).build());
      for (NodeExecutionRecord node : page.getNodeExecutionsList()) {
        if (node.getPhase() == NodeExecution.Phase.SUCCEEDED) {
          succeeded++;
        }
      }
      token = page.getNextToken();
    } while (!token.isEmpty());
    return succeeded;
  }

  private static ObjectNode spec(String domain, int nodes) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode spec = json.objectNode().put("project", PROJECT).put("domain", domain);
    spec.putArray("tasks").addObject().put("name", "noop").put("version", "v1").put("type", "noop");
    ObjectNode workflow = spec.putArray("workflows").addObject().put("name", "fan").put("version", "v1");
    ArrayNode list = workflow.putArray("nodes");
    ArrayNode all = json.arrayNode();
    for (int i = 0; i < nodes; i++) {
      list.addObject().put("id", "n" + i).put("task", "noop");
      all.add("n" + i);
    }
    list.addObject().put("id", "join").put("task", "noop").set("after", all);
    spec.putArray("launch_plans").addObject().put("name", "fan").put("version", "v1");
    return spec;
  }
}
