package io.starling.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
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
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The end-to-end harness: a sandbox on embedded PostgreSQL (durable commits), N executions of
 * one shape of {@code noop} tasks, launched over gRPC:
 *
 * <ul>
 *   <li>{@code fan}: K independent nodes joined by one more node;
 *   <li>{@code chain}: K nodes one after the other;
 *   <li>{@code map}: one map node over K items.
 * </ul>
 *
 * Prints the wall time from the first CreateExecution to the last terminal phase seen by a
 * client, the executions/s and node (or subtask) completions/s, and checks through the API that
 * every node and subtask of every execution is SUCCEEDED in the database.
 *
 * <p>{@code HARNESS_WARMUP=R} first runs the same N executions R times unmeasured: on a cold
 * JVM of a small machine the JIT compilers take a large share of the CPUs for the first
 * seconds, so the measured run then shows the platform rather than its warm-up.
 *
 * <pre>java -cp 'benchmarks/target/*:benchmarks/target/lib/*' io.starling.benchmarks.LoadHarness fan 1 1000</pre>
 */
public final class LoadHarness {

  private static final String PROJECT = "bench";

  private LoadHarness() {}

  enum Shape { FAN, CHAIN, MAP }

  public static void main(String[] args) throws Exception {
    Shape shape = Shape.valueOf((args.length > 0 ? args[0] : "fan").toUpperCase(java.util.Locale.ROOT));
    int executions = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    PrintStream out = System.out;
    Path data = Files.createTempDirectory("starling-bench");
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("STARLING_DATABASE_DATA_DIR", data.toString());
    environment.put("STARLING_GRPC_PORT", "0");
    environment.put("STARLING_HTTP_PORT", "0");
    environment.putIfAbsent("STARLING_ADMIN_MAX_PARALLELISM", "0");
    String domain = "run" + ProcessHandle.current().pid();
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment));
        AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      RegisterCommand.register(client, new SpecReader(id -> {
        throw new IllegalArgumentException("unknown task " + id);
      }).read(spec(shape, domain, nodes)), new PrintStream(java.io.OutputStream.nullOutputStream()));
      Identifier plan = Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
          .setProject(PROJECT).setDomain(domain).setName("bench").setVersion("v1").build();
      LiteralMap inputs = shape == Shape.MAP ? items(nodes) : LiteralMap.getDefaultInstance();

      int warmups = Integer.parseInt(System.getenv().getOrDefault("HARNESS_WARMUP", "0"));
      for (int round = 0; round < warmups; round++) {
        long warmupStart = System.nanoTime();
        launch(client, plan, domain, "w" + round + "-", executions, inputs);
        waitUntilNoneActive(client, domain);
        out.printf("warm-up %d of %d: %.3fs%n", round + 1, warmups,
            (System.nanoTime() - warmupStart) / 1e9);
      }
      CpuMeter cpu = new CpuMeter(data);
      long start = System.nanoTime();
      List<ExecutionIdentifier> ids = launch(client, plan, domain, "e", executions, inputs);
      double launched = (System.nanoTime() - start) / 1e9;
      waitUntilNoneActive(client, domain);
      double seconds = (System.nanoTime() - start) / 1e9;
      CpuMeter.Used used = cpu.used();

      long succeeded = 0;
      for (ExecutionIdentifier id : ids) {
        succeeded += succeededNodes(client, id);
      }
      long perExecution = shape == Shape.FAN ? nodes + 1 : nodes;
      long expected = executions * perExecution;
      out.printf("shape=%s executions=%d %s/execution=%d wall=%.3fs executions/s=%.1f"
              + " completions/s=%.0f heap-used=%dMB (all launched after %.3fs)%n",
          shape.name().toLowerCase(java.util.Locale.ROOT), executions,
          shape == Shape.MAP ? "subtasks" : "nodes", perExecution, seconds, executions / seconds,
          expected / seconds, usedHeapMegabytes(), launched);
      out.printf("cpu: jvm=%.2fs postgresql=%.2fs, per completion jvm=%.0fus postgresql=%.0fus"
              + " (both include the harness's client and polling)%n",
          used.jvmSeconds(), used.postgresSeconds(), used.jvmSeconds() * 1e6 / expected,
          used.postgresSeconds() * 1e6 / expected);
      out.printf("%s SUCCEEDED in PostgreSQL: %d of %d%n",
          shape == Shape.MAP ? "subtasks" : "nodes", succeeded, expected);
      String metricFilter = System.getenv("HARNESS_METRICS");
      if (metricFilter != null) {
        printMetrics(sandbox.httpPort(), metricFilter, out);
      }
      if (succeeded != expected) {
        System.exit(1);
      }
    }
  }

  /** Prints the sandbox's metric lines that contain {@code filter}, e.g. a method name. */
  private static void printMetrics(int httpPort, String filter, PrintStream out) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String metrics = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    metrics.lines().filter(line -> line.contains(filter)).forEach(out::println);
  }

  private static long usedHeapMegabytes() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
  }

  private static LiteralMap items(int count) {
    LiteralCollection.Builder list = LiteralCollection.newBuilder();
    for (int i = 0; i < count; i++) {
      list.addLiterals(Literal.newBuilder().setInteger(i));
    }
    return LiteralMap.newBuilder().putLiterals("a", Literal.newBuilder().setCollection(list).build())
        .build();
  }

  /** Creates {@code executions} executions named {@code prefix} and their number. */
  private static List<ExecutionIdentifier> launch(AdminClient client, Identifier plan,
      String domain, String prefix, int executions, LiteralMap inputs) throws Exception {
    ExecutorService launcher = Executors.newFixedThreadPool(8);
    try {
      List<Future<ExecutionIdentifier>> launched = new ArrayList<>();
      for (int i = 0; i < executions; i++) {
        String name = prefix + i;
        launched.add(launcher.submit(() -> client.call(AdminServiceGrpcClient.CreateExecution,
            ExecutionCreateRequest.newBuilder().setProject(PROJECT).setDomain(domain)
                .setName(name).setLaunchPlan(plan).setInputs(inputs).build()).getId()));
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

  /** Succeeded nodes; for a map node, its succeeded subtasks. */
  private static long succeededNodes(AdminClient client, ExecutionIdentifier id) {
    long succeeded = 0;
    String token = "";
    do {
      NodeExecutionList page = client.call(AdminServiceGrpcClient.ListNodeExecutions,
          NodeExecutionListRequest.newBuilder().setExecutionId(id).setLimit(1000).setToken(token).build());
      for (NodeExecutionRecord node : page.getNodeExecutionsList()) {
        if (node.getPhase() == NodeExecution.Phase.SUCCEEDED) {
          succeeded += node.hasSubtasks() ? node.getSubtasks().getSucceeded() : 1;
        }
      }
      token = page.getNextToken();
    } while (!token.isEmpty());
    return succeeded;
  }

  private static ObjectNode spec(Shape shape, String domain, int nodes) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode spec = json.objectNode().put("project", PROJECT).put("domain", domain);
    ArrayNode tasks = spec.putArray("tasks");
    tasks.addObject().put("name", "noop").put("version", "v1").put("type", "noop");
    tasks.addObject().put("name", "item").put("version", "v1").put("type", "noop")
        .putObject("inputs").put("a", "integer");
    ObjectNode workflow = spec.putArray("workflows").addObject().put("name", "bench").put("version", "v1");
    ArrayNode list = workflow.putArray("nodes");
    switch (shape) {
      case FAN -> {
        ArrayNode all = json.arrayNode();
        for (int i = 0; i < nodes; i++) {
          list.addObject().put("id", "n" + i).put("task", "noop");
          all.add("n" + i);
        }
        list.addObject().put("id", "join").put("task", "noop").set("after", all);
      }
      case CHAIN -> {
        for (int i = 0; i < nodes; i++) {
          ObjectNode node = list.addObject().put("id", "n" + i).put("task", "noop");
          if (i > 0) {
            node.putArray("after").add("n" + (i - 1));
          }
        }
      }
      case MAP -> {
        workflow.putObject("inputs").put("a", "list<integer>");
        list.addObject().put("id", "map").put("map", "item").putObject("inputs")
            .put("a", "{{inputs.a}}");
      }
    }
    spec.putArray("launch_plans").addObject().put("name", "bench").put("version", "v1");
    return spec;
  }
}
