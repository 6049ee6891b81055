package io.starling.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
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
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The harnesses' workload: executions of one shape of {@code noop} (or {@code sleep}) tasks in a
 * domain of their own, registered, launched over gRPC (spread over the clients given) and
 * checked through the API.
 *
 * <ul>
 *   <li>{@code fan}: K independent nodes joined by one more node;
 *   <li>{@code chain}: K nodes one after the other;
 *   <li>{@code map}: one map node over K items.
 * </ul>
 */
final class Workload {

  static final String PROJECT = "bench";

  enum Shape { FAN, CHAIN, MAP }

  private final Shape shape;
  private final int nodes;
  private final String domain;
  private final String sleep;
  private final LiteralMap inputs;
  private Identifier plan;

  /** Tasks that do nothing. */
  Workload(String shape, int nodes, String domain) {
    this(shape, nodes, domain, null);
  }

  /** Tasks that sleep for {@code sleep} (e.g. {@code 500ms}), or do nothing when it is null. */
  Workload(String shape, int nodes, String domain, String sleep) {
    this.shape = Shape.valueOf(shape.toUpperCase(Locale.ROOT));
    this.nodes = nodes;
    this.domain = domain;
    this.sleep = sleep;
    this.inputs = this.shape == Shape.MAP ? items(nodes) : LiteralMap.getDefaultInstance();
  }

  String shape() {
    return shape.name().toLowerCase(Locale.ROOT);
  }

  /** What one execution completes: nodes, or a map's subtasks. */
  String unit() {
    return shape == Shape.MAP ? "subtasks" : "nodes";
  }

  /** Nodes (or subtasks) that {@code executions} executions complete. */
  long completions(int executions) {
    return (long) executions * (shape == Shape.FAN ? nodes + 1 : nodes);
  }

  /** Registers the tasks, the workflow and its launch plan through {@code client}. */
  void register(AdminClient client) throws Exception {
    RegisterCommand.register(client, new SpecReader(id -> {
      throw new IllegalArgumentException("unknown task " + id);
    }).read(spec()), new PrintStream(OutputStream.nullOutputStream()));
    plan = Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
        .setProject(PROJECT).setDomain(domain).setName("bench").setVersion("v1").build();
  }

  private static LiteralMap items(int count) {
    LiteralCollection.Builder list = LiteralCollection.newBuilder();
    for (int i = 0; i < count; i++) {
      list.addLiterals(Literal.newBuilder().setInteger(i));
    }
    return LiteralMap.newBuilder().putLiterals("a", Literal.newBuilder().setCollection(list).build())
        .build();
  }

  /**
   * Creates {@code executions} executions named {@code prefix} and their number, the i-th
   * through {@code clients[i % size]}, eight at a time.
   */
  List<ExecutionIdentifier> launch(List<AdminClient> clients, String prefix, int executions)
      throws Exception {
    ExecutorService launcher = Executors.newFixedThreadPool(8);
    try {
      List<Future<ExecutionIdentifier>> launched = new ArrayList<>();
      for (int i = 0; i < executions; i++) {
        String name = prefix + i;
        AdminClient client = clients.get(i % clients.size());
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
  void awaitNoneActive(AdminClient client) {
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

  /** Succeeded nodes of {@code ids}; for a map node, its succeeded subtasks. */
  long succeeded(AdminClient client, List<ExecutionIdentifier> ids) {
    long succeeded = 0;
    for (ExecutionIdentifier id : ids) {
      String token = "";
      do {
        NodeExecutionList page = client.call(AdminServiceGrpcClient.ListNodeExecutions,
            NodeExecutionListRequest.newBuilder().setExecutionId(id).setLimit(1000)
                .setToken(token).build());
        for (NodeExecutionRecord node : page.getNodeExecutionsList()) {
          if (node.getPhase() == NodeExecution.Phase.SUCCEEDED) {
            succeeded += node.hasSubtasks() ? node.getSubtasks().getSucceeded() : 1;
          }
        }
        token = page.getNextToken();
      } while (!token.isEmpty());
    }
    return succeeded;
  }

  private ObjectNode spec() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode spec = json.objectNode().put("project", PROJECT).put("domain", domain);
    ArrayNode tasks = spec.putArray("tasks");
    ObjectNode task = tasks.addObject().put("name", "noop").put("version", "v1");
    ObjectNode item = tasks.addObject().put("name", "item").put("version", "v1");
    item.putObject("inputs").put("a", "integer");
    for (ObjectNode each : List.of(task, item)) {
      if (sleep == null) {
        each.put("type", "noop");
      } else {
        each.put("type", "sleep").putObject("config").put("duration", sleep);
      }
    }
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
