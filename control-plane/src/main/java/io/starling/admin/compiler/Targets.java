package io.starling.admin.compiler;

import io.starling.proto.LiteralTypes;
import io.starling.proto.Quote;
import io.starling.proto.core.CompiledLaunchPlan;
import io.starling.proto.core.CompiledSubWorkflow;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowNode;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What task, map and workflow nodes run: their {@link Signature}s, from the registered
 * references, and everything the closure must carry for them (tasks, sub-workflows, launch
 * plans, the workflows reachable through launch plans). Rejects a launch plan or sub-workflow
 * through which the workflow being compiled would start itself.
 */
final class Targets {

  private final Identifier workflowId;
  private final References references;
  private final Problems problems;
  final Map<Identifier, CompiledTask> tasks = new LinkedHashMap<>();
  final Map<Identifier, CompiledSubWorkflow> subWorkflows = new LinkedHashMap<>();
  final Map<Identifier, CompiledLaunchPlan> launchPlans = new LinkedHashMap<>();
  final Set<Identifier> calledWorkflows = new LinkedHashSet<>();
  private final Map<Node, Signature> known = new IdentityHashMap<>();

  Targets(Identifier workflowId, References references, Problems problems) {
    this.workflowId = workflowId;
    this.references = references;
    this.problems = problems;
  }

  /**
   * The signature of a task, map or workflow node; null (reported once) when it cannot be
   * known. Memoised per node.
   */
  Signature of(Node node, String where) {
    if (!known.containsKey(node)) {
      known.put(node, signature(node, where));
    }
    return known.get(node);
  }

  private Signature signature(Node node, String where) {
    return switch (node.getTargetCase()) {
      case TASK_NODE -> task(node.getTaskNode().getTaskId(), null, where);
      case MAP_NODE -> task(node.getMapNode().getTaskId(), node.getMapNode(), where);
      case WORKFLOW_NODE -> workflow(node.getWorkflowNode(), where);
      default -> {
        problems.add(where + ": nothing to run (no task_node, map_node, branch_node or"
            + " workflow_node)");
        yield null;
      }
    };
  }

  private Signature task(Identifier reference, MapNode map, String where) {
    Identifier id = ReferencedIds.taskId(reference);
    TaskTemplate task = references.tasks().get(id);
    if (task == null) {
      problems.add(where + ": task " + describe(id) + " is not registered");
      return null;
    }
    tasks.putIfAbsent(id, CompiledTask.newBuilder().setId(id).setTemplate(task).build());
    TypedInterface face = task.getInterface();
    if (map == null) {
      return new Signature(types(face.getInputsMap()), face.getInputsMap().keySet(),
          types(face.getOutputsMap()));
    }
    checkMapOptions(map, face.getInputsMap().keySet(), where);
    Map<String, LiteralType> inputs = new LinkedHashMap<>();
    face.getInputsMap().forEach((name, variable) -> inputs.put(name,
        map.getBroadcastInputsList().contains(name)
            ? variable.getType() : LiteralTypes.listOf(variable.getType())));
    Map<String, LiteralType> outputs = new LinkedHashMap<>();
    face.getOutputsMap().forEach((name, variable) ->
        outputs.put(name, LiteralTypes.listOf(variable.getType())));
    return new Signature(inputs, face.getInputsMap().keySet(), outputs);
  }

  private void checkMapOptions(MapNode map, Set<String> taskInputs, String where) {
    if (map.getConcurrency() < 0) {
      problems.add(where + ": concurrency must be 0 (all at once) or more, got "
          + map.getConcurrency());
    }
    if (map.hasMinSuccessRatio()
        && !(map.getMinSuccessRatio() >= 0 && map.getMinSuccessRatio() <= 1)) {
      problems.add(where + ": min_success_ratio must be in [0, 1], got "
          + map.getMinSuccessRatio());
    }
    if (map.hasMinSuccesses() && map.getMinSuccesses() < 0) {
      problems.add(where + ": min_successes must be 0 or more, got " + map.getMinSuccesses());
    }
    Set<String> broadcast = new HashSet<>();
    for (String name : map.getBroadcastInputsList()) {
      if (!taskInputs.contains(name)) {
        problems.add(where + ": broadcast input " + Quote.of(name) + " is not an input of the task");
      } else if (!broadcast.add(name)) {
        problems.add(where + ": broadcast input " + Quote.of(name) + " is named twice");
      }
    }
    if (broadcast.size() == taskInputs.size() && !taskInputs.isEmpty()) {
      problems.add(where + ": every input is broadcast, so there is no list to map over");
    }
  }

  private Signature workflow(WorkflowNode node, String where) {
    if (node.hasSubWorkflowRef()) {
      return subWorkflow(ReferencedIds.as(node.getSubWorkflowRef(), ResourceType.WORKFLOW), where);
    }
    if (node.hasLaunchPlanRef()) {
      return launchPlan(ReferencedIds.as(node.getLaunchPlanRef(), ResourceType.LAUNCH_PLAN), where);
    }
    problems.add(where + ": workflow_node names neither a sub-workflow nor a launch plan");
    return null;
  }

  private Signature subWorkflow(Identifier id, String where) {
    CompiledWorkflowClosure closure = references.workflows().get(id);
    if (closure == null) {
      problems.add(where + ": workflow " + describe(id) + " is not registered");
      return null;
    }
    if (!callsThisWorkflow(closure, where, "sub-workflow " + describe(id))) {
      include(closure);
      subWorkflows.putIfAbsent(id, CompiledSubWorkflow.newBuilder().setId(id)
          .setTemplate(closure.getTemplate()).putAllUpstream(closure.getUpstreamMap()).build());
    }
    TypedInterface face = closure.getTemplate().getInterface();
    return new Signature(types(face.getInputsMap()), face.getInputsMap().keySet(),
        types(face.getOutputsMap()));
  }

  private Signature launchPlan(Identifier id, String where) {
    References.LaunchPlanTarget target = references.launchPlans().get(id);
    if (target == null) {
      problems.add(where + ": launch plan " + describe(id) + " is not registered");
      return null;
    }
    LaunchPlanSpec plan = target.spec();
    CompiledWorkflowClosure workflow = target.workflow();
    String via = "launch plan " + describe(id);
    if (sameName(workflow.getId())) {
      problems.add(where + ": " + via + " runs this workflow; a workflow cannot start itself");
    } else if (!callsThisWorkflow(workflow, where, via)) {
      calledWorkflows.add(workflow.getId());
      calledWorkflows.addAll(workflow.getCalledWorkflowsList());
    }
    TypedInterface face = workflow.getTemplate().getInterface();
    Map<String, LiteralType> inputs = new LinkedHashMap<>();
    Set<String> required = new LinkedHashSet<>();
    TypedInterface.Builder bindable = TypedInterface.newBuilder()
        .putAllOutputs(face.getOutputsMap());
    face.getInputsMap().forEach((name, variable) -> {
      if (!plan.getFixedInputs().containsLiterals(name)) {
        inputs.put(name, variable.getType());
        bindable.putInputs(name, variable);
        if (!plan.getDefaultInputs().containsLiterals(name)) {
          required.add(name);
        }
      }
    });
    launchPlans.putIfAbsent(id, CompiledLaunchPlan.newBuilder().setId(id)
        .setInterface(bindable).build());
    return new Signature(inputs, required, types(face.getOutputsMap()));
  }

  /** Reports, and returns true, when {@code closure} starts this workflow through launch plans. */
  private boolean callsThisWorkflow(CompiledWorkflowClosure closure, String where, String via) {
    for (Identifier called : closure.getCalledWorkflowsList()) {
      if (sameName(called)) {
        problems.add(where + ": " + via + " starts this workflow (through launch plans, "
            + describe(called) + "); a workflow cannot start itself");
        return true;
      }
    }
    return false;
  }

  /** Adds what a sub-workflow's closure carries to this closure. */
  private void include(CompiledWorkflowClosure closure) {
    closure.getTasksList().forEach(task -> tasks.putIfAbsent(task.getId(), task));
    closure.getSubWorkflowsList().forEach(sub -> subWorkflows.putIfAbsent(sub.getId(), sub));
    closure.getLaunchPlansList().forEach(plan -> launchPlans.putIfAbsent(plan.getId(), plan));
    calledWorkflows.addAll(closure.getCalledWorkflowsList());
  }

  private boolean sameName(Identifier other) {
    return other.getProject().equals(workflowId.getProject())
        && other.getDomain().equals(workflowId.getDomain())
        && other.getName().equals(workflowId.getName());
  }

  private static Map<String, LiteralType> types(Map<String, Variable> variables) {
    Map<String, LiteralType> types = new LinkedHashMap<>();
    variables.forEach((name, variable) -> types.put(name, variable.getType()));
    return types;
  }

  static String describe(Identifier id) {
    return id.getProject() + "/" + id.getDomain() + "/" + id.getName() + "@" + id.getVersion();
  }
}
