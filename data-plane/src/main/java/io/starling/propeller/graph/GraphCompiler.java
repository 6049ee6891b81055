package io.starling.propeller.graph;

import com.google.protobuf.util.Durations;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.CompiledLaunchPlan;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.TaskTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link CompiledWorkflowClosure} (validated by the admin at registration) into an
 * {@link ExecutionGraph}, with sub-workflows inlined (see {@link Inliner}). A closure that breaks the compiler's guarantees is a corrupt record,
 * reported as {@link IllegalArgumentException}.
 */
public final class GraphCompiler {

  public static ExecutionGraph compile(CompiledWorkflowClosure closure) {
    return new GraphCompiler(closure).compile();
  }

  private final CompiledWorkflowClosure closure;
  private final Map<Identifier, CompiledTask> tasks = new HashMap<>();
  private final Map<Identifier, CompiledLaunchPlan> launchPlans = new HashMap<>();
  private final Map<String, Integer> indexes = new HashMap<>();

  private GraphCompiler(CompiledWorkflowClosure closure) {
    this.closure = closure;
    for (CompiledTask task : closure.getTasksList()) {
      tasks.put(task.getId(), task);
    }
    for (CompiledLaunchPlan plan : closure.getLaunchPlansList()) {
      launchPlans.put(plan.getId(), plan);
    }
  }

  private ExecutionGraph compile() {
    List<Inliner.FlatNode> nodes = Inliner.flatten(closure);
    for (int i = 0; i < nodes.size(); i++) {
      indexes.put(nodes.get(i).id(), i);
    }
    NodeSpec[] specs = new NodeSpec[nodes.size()];
    int[] upstreamCounts = new int[nodes.size()];
    List<List<Integer>> downstream = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      downstream.add(new ArrayList<>(2));
    }
    for (int i = 0; i < nodes.size(); i++) {
      Inliner.FlatNode node = nodes.get(i);
      specs[i] = nodeSpec(i, node.id(), node.node());
      for (String id : node.upstream()) {
        downstream.get(index(indexes, id)).add(i);
        upstreamCounts[i]++;
      }
    }
    int[][] edges = new int[nodes.size()][];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = downstream.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return new ExecutionGraph(
        specs,
        indexes,
        edges,
        upstreamCounts,
        bindings(closure.getTemplate().getOutputsList(), indexes),
        closure.getTemplate().getMetadata().getOnFailure());
  }

  private NodeSpec nodeSpec(int index, String id, Node node) {
    Map<String, CompiledBinding> inputs = bindings(node.getInputsList(), indexes);
    switch (node.getTargetCase()) {
      case TASK_NODE:
        return taskSpec(index, id, node, normalized(node.getTaskNode().getTaskId()), null, inputs);
      case MAP_NODE: {
        MapNode mapNode = node.getMapNode();
        MapSpec map = new MapSpec(
            mapNode.getConcurrency(),
            Set.copyOf(mapNode.getBroadcastInputsList()),
            mapNode.hasMinSuccessRatio() ? mapNode.getMinSuccessRatio() : 1.0,
            mapNode.hasMinSuccesses() ? mapNode.getMinSuccesses() : -1);
        return taskSpec(index, id, node, normalized(mapNode.getTaskId()), map, inputs);
      }
      case WORKFLOW_NODE:
        return launchPlanSpec(index, id, node, inputs);
      case BRANCH_NODE:
        return branchSpec(index, id, node.getBranchNode(), inputs);
      default: // the output node of an inlined sub-workflow
        return new NodeSpec(index, id, null, null, null, null, inputs, 0, Duration.ZERO,
            Duration.ZERO);
    }
  }

  private NodeSpec taskSpec(int index, String id, Node node, Identifier taskId, MapSpec map,
      Map<String, CompiledBinding> inputs) {
    CompiledTask task = tasks.get(taskId);
    if (task == null) {
      throw new IllegalArgumentException("node " + id + ": task not in the closure");
    }
    TaskMetadata metadata = task.getTemplate().getMetadata();
    int retries = node.getMetadata().hasRetries()
        ? node.getMetadata().getRetries()
        : metadata.getRetries().getRetries();
    Duration timeout = node.getMetadata().hasTimeout()
        ? duration(node.getMetadata().getTimeout())
        : duration(metadata.getTimeout());
    return new NodeSpec(index, id, taskId, task.getTemplate(), map, null, inputs, retries,
        timeout, duration(metadata.getRetries().getBackoff()));
  }

  /** A launch-plan node runs as a task of type {@link NodeSpec#LAUNCH_PLAN_TASK_TYPE}. */
  private NodeSpec launchPlanSpec(int index, String id, Node node,
      Map<String, CompiledBinding> inputs) {
    if (!node.getWorkflowNode().hasLaunchPlanRef()) {
      throw new IllegalArgumentException("node " + id + ": sub-workflow left in a branch");
    }
    Identifier planId = node.getWorkflowNode().getLaunchPlanRef().toBuilder()
        .setResourceType(ResourceType.LAUNCH_PLAN).build();
    CompiledLaunchPlan plan = launchPlans.get(planId);
    if (plan == null) {
      throw new IllegalArgumentException("node " + id + ": launch plan not in the closure");
    }
    TaskTemplate task = TaskTemplate.newBuilder().setType(NodeSpec.LAUNCH_PLAN_TASK_TYPE)
        .setInterface(plan.getInterface()).build();
    return new NodeSpec(index, id, planId, task, null, null, inputs,
        node.getMetadata().getRetries(), duration(node.getMetadata().getTimeout()),
        Duration.ZERO);
  }

  private NodeSpec branchSpec(int index, String id, BranchNode branch,
      Map<String, CompiledBinding> inputs) {
    List<BranchSpec.Case> cases = new ArrayList<>(branch.getCasesCount());
    for (IfBlock block : branch.getCasesList()) {
      cases.add(caseOf(index, id, block.getCondition(), block.getThenNode()));
    }
    BranchSpec.Case otherwise = branch.hasElseNode()
        ? caseOf(index, id, null, branch.getElseNode()) : null;
    String elseFail = branch.hasElseFail() ? branch.getElseFail() : null;
    return new NodeSpec(index, id, null, null, null, new BranchSpec(cases, otherwise, elseFail),
        inputs, 0, Duration.ZERO, Duration.ZERO);
  }

  private BranchSpec.Case caseOf(int index, String branchId, BooleanExpression condition,
      Node node) {
    return new BranchSpec.Case(node.getId(), condition, nodeSpec(index, branchId, node));
  }

  /** Task references may leave resource_type unset; the closure's tasks always carry TASK. */
  private static Identifier normalized(Identifier id) {
    return id.toBuilder().setResourceType(ResourceType.TASK).build();
  }

  private static Map<String, CompiledBinding> bindings(
      List<Binding> bindings, Map<String, Integer> indexes) {
    Map<String, CompiledBinding> result = new LinkedHashMap<>(bindings.size() * 2);
    for (Binding binding : bindings) {
      result.put(binding.getVar(), binding(binding.getBinding(), indexes));
    }
    return result;
  }

  private static CompiledBinding binding(BindingData data, Map<String, Integer> indexes) {
    switch (data.getValueCase()) {
      case LITERAL:
        return new CompiledBinding.Constant(data.getLiteral());
      case WORKFLOW_INPUT:
        return new CompiledBinding.WorkflowInput(data.getWorkflowInput());
      case PROMISE:
        return new CompiledBinding.Promise(
            index(indexes, data.getPromise().getNodeId()), data.getPromise().getVar());
      case COLLECTION: {
        List<CompiledBinding> items = new ArrayList<>(data.getCollection().getBindingsCount());
        for (BindingData item : data.getCollection().getBindingsList()) {
          items.add(binding(item, indexes));
        }
        return new CompiledBinding.Collection(items);
      }
      case MAP: {
        Map<String, CompiledBinding> entries = new LinkedHashMap<>();
        data.getMap().getBindingsMap().forEach((k, v) -> entries.put(k, binding(v, indexes)));
        return new CompiledBinding.MapOf(entries);
      }
      default:
        throw new IllegalArgumentException("binding without a value");
    }
  }

  private static int index(Map<String, Integer> indexes, String nodeId) {
    Integer index = indexes.get(nodeId);
    if (index == null) {
      throw new IllegalArgumentException("unknown node " + nodeId);
    }
    return index;
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofMillis(Durations.toMillis(d));
  }
}
