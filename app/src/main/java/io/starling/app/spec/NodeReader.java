package io.starling.app.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.proto.LiteralTypes;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeMetadata;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the nodes of one workflow in a spec file: {@code task}, {@code map},
 * {@code subworkflow} and {@code launch_plan} nodes, and {@code branch} nodes whose cases are
 * nodes themselves. Inputs of task and map nodes, and of sub-workflows defined in the same
 * file, are typed by what they bind; other constants by their JSON value (the admin checks
 * them at registration).
 */
final class NodeReader {

  private static final List<String> KINDS = List.of("task", "map", "subworkflow", "launch_plan",
      "branch");

  private final Identifier workflowId;
  private final Map<String, TaskTemplate> tasks;
  private final Function<Identifier, TaskTemplate> registeredTasks;
  private final Map<String, TypedInterface> workflows;

  /**
   * @param tasks the file's tasks by name@version
   * @param workflows the interfaces of the file's workflows read so far, by name@version
   */
  NodeReader(Identifier workflowId, Map<String, TaskTemplate> tasks,
      Function<Identifier, TaskTemplate> registeredTasks, Map<String, TypedInterface> workflows) {
    this.workflowId = workflowId;
    this.tasks = tasks;
    this.registeredTasks = registeredTasks;
    this.workflows = workflows;
  }

  Node read(JsonNode node, String workflowWhere) {
    String nodeId = SpecReader.required(node, "id", workflowWhere + " node");
    String where = workflowWhere + " node " + nodeId;
    List<String> kinds = KINDS.stream().filter(node::has).toList();
    if (kinds.size() != 1) {
      throw new IllegalArgumentException(where + ": set exactly one of " + String.join(", ", KINDS)
          + (kinds.isEmpty() ? "" : " (got " + String.join(", ", kinds) + ")"));
    }
    Node.Builder built = Node.newBuilder().setId(nodeId).setMetadata(nodeMetadata(node, where));
    Map<String, Variable> inputs;
    MapNode map = null;
    switch (kinds.get(0)) {
      case "task", "map" -> {
        Identifier taskId = reference(node.get(kinds.get(0)).asText(), ResourceType.TASK);
        TaskTemplate task = tasks.get(taskId.getName() + "@" + taskId.getVersion());
        if (task == null) {
          task = registeredTasks.apply(taskId);
        }
        if (node.has("map")) {
          map = mapNode(node, taskId, where);
          built.setMapNode(map);
        } else {
          built.setTaskNode(TaskNode.newBuilder().setTaskId(taskId));
        }
        inputs = task.getInterface().getInputsMap();
      }
      case "subworkflow" -> {
        Identifier id = reference(node.get("subworkflow").asText(), ResourceType.WORKFLOW);
        built.setWorkflowNode(WorkflowNode.newBuilder().setSubWorkflowRef(id));
        TypedInterface known = workflows.get(id.getName() + "@" + id.getVersion());
        inputs = known == null ? null : known.getInputsMap();
      }
      case "launch_plan" -> {
        built.setWorkflowNode(WorkflowNode.newBuilder().setLaunchPlanRef(
            reference(node.get("launch_plan").asText(), ResourceType.LAUNCH_PLAN)));
        inputs = null;
      }
      default -> {
        built.setBranchNode(branch(node.get("branch"), where));
        inputs = null;
      }
    }
    for (var input : (Iterable<Map.Entry<String, JsonNode>>) node.path("inputs")::fields) {
      built.addInputs(Binding.newBuilder().setVar(input.getKey()).setBinding(Bindings.read(
          input.getValue(), type(inputs, map, input.getKey(), where),
          where + ".inputs." + input.getKey())));
    }
    node.path("after").forEach(upstream -> built.addUpstreamNodeIds(upstream.asText()));
    return built.build();
  }

  /** The declared type of an input (a list for a mapped one); null when not known here. */
  private static LiteralType type(Map<String, Variable> inputs, MapNode map, String input,
      String where) {
    if (inputs == null) {
      return null;
    }
    Variable declared = inputs.get(input);
    if (declared == null) {
      throw new IllegalArgumentException(where + ": there is no input '" + input + "' (inputs: "
          + inputs.keySet() + ")");
    }
    return map != null && !map.getBroadcastInputsList().contains(input)
        ? LiteralTypes.listOf(declared.getType())
        : declared.getType();
  }

  /** {@code cases: [{if: CONDITION, then: NODE}...]}, then {@code else: NODE} or {@code else_fail}. */
  private BranchNode branch(JsonNode branch, String where) {
    BranchNode.Builder built = BranchNode.newBuilder();
    int i = 0;
    for (JsonNode block : branch.path("cases")) {
      String caseWhere = where + " case " + ++i;
      built.addCases(IfBlock.newBuilder()
          .setCondition(ConditionParser.parse(SpecReader.required(block, "if", caseWhere), caseWhere))
          .setThenNode(read(block.path("then"), caseWhere)));
    }
    if (branch.has("else") && branch.has("else_fail")) {
      throw new IllegalArgumentException(where + ": set else or else_fail, not both");
    }
    if (branch.has("else")) {
      built.setElseNode(read(branch.get("else"), where + " else"));
    } else if (branch.has("else_fail")) {
      built.setElseFail(branch.get("else_fail").asText());
    }
    return built.build();
  }

  /** NAME (the workflow's version) or NAME@VERSION, in the workflow's project and domain. */
  private Identifier reference(String reference, ResourceType type) {
    int at = reference.indexOf('@');
    return workflowId.toBuilder().setResourceType(type)
        .setName(at < 0 ? reference : reference.substring(0, at))
        .setVersion(at < 0 ? workflowId.getVersion() : reference.substring(at + 1))
        .build();
  }

  /** A map node's options: concurrency, min_success_ratio or min_successes, broadcast. */
  private static MapNode mapNode(JsonNode node, Identifier taskId, String where) {
    MapNode.Builder map = MapNode.newBuilder().setTaskId(taskId)
        .setConcurrency(SpecReader.integer(node, "concurrency", 0, where));
    if (node.has("min_success_ratio") && node.has("min_successes")) {
      throw new IllegalArgumentException(where + ": set min_success_ratio or min_successes, not both");
    }
    if (node.has("min_success_ratio")) {
      JsonNode ratio = node.get("min_success_ratio");
      if (!ratio.isNumber()) {
        throw new IllegalArgumentException(where + ".min_success_ratio: expected a number in [0, 1]");
      }
      map.setMinSuccessRatio(ratio.floatValue());
    }
    if (node.has("min_successes")) {
      map.setMinSuccesses(SpecReader.integer(node, "min_successes", 0, where));
    }
    node.path("broadcast").forEach(input -> map.addBroadcastInputs(input.asText()));
    return map.build();
  }

  /** Per-node overrides of the task's retries and timeout. */
  private static NodeMetadata nodeMetadata(JsonNode node, String where) {
    NodeMetadata.Builder metadata = NodeMetadata.newBuilder();
    if (node.has("retries")) {
      int retries = SpecReader.integer(node, "retries", 0, where);
      if (retries < 0) {
        throw new IllegalArgumentException(where + ".retries: expected 0 or more, got " + retries);
      }
      metadata.setRetries(retries);
    }
    if (node.has("timeout")) {
      metadata.setTimeout(SpecReader.duration(node.get("timeout").asText(), where + ".timeout"));
    }
    return metadata.build();
  }
}
