package io.starling.admin.compiler;

import io.starling.admin.AdminException;
import io.starling.proto.LiteralTypes;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a workflow at registration and compiles it into the closure executions run from:
 * the template, every task it uses, and each node's upstream nodes. Pure: the caller looks up
 * the tasks. Every problem names the node and the input; up to ten are reported at once.
 */
public final class WorkflowCompiler {

  private static final Pattern NODE_ID = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final int MAX_PROBLEMS = 10;

  private final Identifier workflowId;
  private final WorkflowTemplate template;
  private final Map<Identifier, TaskTemplate> tasks;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Node> nodes = new LinkedHashMap<>();

  private WorkflowCompiler(Identifier workflowId, WorkflowTemplate template,
      Map<Identifier, TaskTemplate> tasks) {
    this.workflowId = workflowId;
    this.template = template;
    this.tasks = tasks;
  }

  /** The task ids a workflow references, normalised to resource type TASK. */
  public static Set<Identifier> referencedTasks(WorkflowTemplate template) {
    Set<Identifier> ids = new LinkedHashSet<>();
    for (Node node : template.getNodesList()) {
      Identifier id = taskOf(node);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Compiles {@code template}; {@code tasks} holds the registered tasks among
   * {@link #referencedTasks}. Throws INVALID_ARGUMENT listing the problems.
   */
  public static CompiledWorkflowClosure compile(Identifier workflowId, WorkflowTemplate template,
      Map<Identifier, TaskTemplate> tasks) {
    return new WorkflowCompiler(workflowId, template, tasks).compile();
  }

  private CompiledWorkflowClosure compile() {
    for (Node node : template.getNodesList()) {
      if (!NODE_ID.matcher(node.getId()).matches()) {
        problem("node '" + node.getId() + "': ids are 1-63 characters of [a-z0-9_-] starting with a letter");
      } else if (nodes.putIfAbsent(node.getId(), node) != null) {
        problem("node " + node.getId() + ": the id is used twice");
      }
    }
    checkInterface();
    Map<String, Set<String>> upstream = new LinkedHashMap<>();
    Map<Identifier, CompiledTask> used = new LinkedHashMap<>();
    for (Node node : nodes.values()) {
      upstream.put(node.getId(), checkNode(node, used));
    }
    checkOutputs();
    if (problems.isEmpty()) {
      checkAcyclic(upstream);
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid("workflow " + workflowId.getName() + " does not compile: "
          + String.join("; ", problems));
    }
    CompiledWorkflowClosure.Builder closure = CompiledWorkflowClosure.newBuilder()
        .setId(workflowId).setTemplate(template).addAllTasks(used.values());
    upstream.forEach((id, ups) -> closure.putUpstream(id, NodeIdList.newBuilder().addAllIds(ups).build()));
    return closure.build();
  }

  private void checkInterface() {
    template.getInterface().getInputsMap().forEach((name, variable) -> {
      if (!TypeChecker.isComplete(variable.getType())) {
        problem("workflow input '" + name + "' has no complete type");
      }
    });
    template.getInterface().getOutputsMap().forEach((name, variable) -> {
      if (!TypeChecker.isComplete(variable.getType())) {
        problem("workflow output '" + name + "' has no complete type");
      }
    });
  }

  private Set<String> checkNode(Node node, Map<Identifier, CompiledTask> used) {
    Set<String> upstream = new LinkedHashSet<>();
    String where = "node " + node.getId();
    Identifier taskId = taskOf(node);
    if (taskId == null) {
      problem(where + ": nothing to run (neither task_node nor map_node is set)");
      return upstream;
    }
    TaskTemplate task = tasks.get(taskId);
    if (task == null) {
      problem(where + ": task " + describe(taskId) + " is not registered");
      return upstream;
    }
    used.putIfAbsent(taskId, CompiledTask.newBuilder().setId(taskId).setTemplate(task).build());
    Map<String, Variable> inputs = task.getInterface().getInputsMap();
    if (node.hasMapNode()) {
      checkMapOptions(node.getMapNode(), inputs.keySet(), where);
    }
    Set<String> bound = new HashSet<>();
    for (Binding binding : node.getInputsList()) {
      String input = where + ": input '" + binding.getVar() + "'";
      Variable declared = inputs.get(binding.getVar());
      if (declared == null) {
        problem(input + " is not an input of task " + taskId.getName() + " (inputs: "
            + String.join(", ", inputs.keySet()) + ")");
      } else if (!bound.add(binding.getVar())) {
        problem(input + " is bound twice");
      } else {
        LiteralType expected = isMapped(node, binding.getVar())
            ? LiteralTypes.listOf(declared.getType())
            : declared.getType();
        checkBinding(binding.getBinding(), expected, input, upstream);
      }
    }
    for (String name : inputs.keySet()) {
      if (!bound.contains(name)) {
        problem(where + ": input '" + name + "' is not bound");
      }
    }
    for (String id : node.getUpstreamNodeIdsList()) {
      if (!nodes.containsKey(id)) {
        problem(where + ": upstream node '" + id + "' does not exist");
      } else {
        upstream.add(id);
      }
    }
    return upstream;
  }

  private void checkMapOptions(MapNode map, Set<String> taskInputs, String where) {
    if (map.getConcurrency() < 0) {
      problem(where + ": concurrency must be 0 (all at once) or more, got " + map.getConcurrency());
    }
    if (map.hasMinSuccessRatio()
        && !(map.getMinSuccessRatio() >= 0 && map.getMinSuccessRatio() <= 1)) {
      problem(where + ": min_success_ratio must be in [0, 1], got " + map.getMinSuccessRatio());
    }
    if (map.hasMinSuccesses() && map.getMinSuccesses() < 0) {
      problem(where + ": min_successes must be 0 or more, got " + map.getMinSuccesses());
    }
    Set<String> broadcast = new HashSet<>();
    for (String name : map.getBroadcastInputsList()) {
      if (!taskInputs.contains(name)) {
        problem(where + ": broadcast input '" + name + "' is not an input of the task");
      } else if (!broadcast.add(name)) {
        problem(where + ": broadcast input '" + name + "' is named twice");
      }
    }
    if (broadcast.size() == taskInputs.size() && !taskInputs.isEmpty()) {
      problem(where + ": every input is broadcast, so there is no list to map over");
    }
  }

  /** Whether a node input is one a map node maps over (bound to a list of the task's type). */
  private static boolean isMapped(Node node, String input) {
    return node.hasMapNode() && !node.getMapNode().getBroadcastInputsList().contains(input);
  }

  private void checkOutputs() {
    Map<String, Variable> outputs = template.getInterface().getOutputsMap();
    Set<String> bound = new HashSet<>();
    for (Binding binding : template.getOutputsList()) {
      String where = "workflow output '" + binding.getVar() + "'";
      Variable declared = outputs.get(binding.getVar());
      if (declared == null) {
        problem(where + " is bound but not declared");
      } else if (!bound.add(binding.getVar())) {
        problem(where + " is bound twice");
      } else {
        checkBinding(binding.getBinding(), declared.getType(), where, new HashSet<>());
      }
    }
    for (String name : outputs.keySet()) {
      if (!bound.contains(name)) {
        problem("workflow output '" + name + "' is not bound");
      }
    }
  }

  private void checkBinding(BindingData data, LiteralType type, String where, Set<String> upstream) {
    switch (data.getValueCase()) {
      case LITERAL -> {
        String mismatch = TypeChecker.mismatch(data.getLiteral(), type);
        if (mismatch != null) {
          problem(where + ": " + mismatch);
        }
      }
      case WORKFLOW_INPUT -> {
        Variable input = template.getInterface().getInputsMap().get(data.getWorkflowInput());
        if (input == null) {
          problem(where + ": workflow input '" + data.getWorkflowInput() + "' does not exist");
        } else {
          sameType(input.getType(), type, where, "workflow input '" + data.getWorkflowInput() + "'");
        }
      }
      case PROMISE -> checkPromise(data, type, where, upstream);
      case COLLECTION -> {
        if (!type.hasCollectionType()) {
          problem(where + ": expected " + LiteralTypes.describe(type) + ", got a list");
        } else {
          int i = 0;
          for (BindingData item : data.getCollection().getBindingsList()) {
            checkBinding(item, type.getCollectionType(), where + "[" + i++ + "]", upstream);
          }
        }
      }
      case MAP -> {
        if (!type.hasMapValueType()) {
          problem(where + ": expected " + LiteralTypes.describe(type) + ", got a map");
        } else {
          data.getMap().getBindingsMap().forEach((key, item) ->
              checkBinding(item, type.getMapValueType(), where + "[" + key + "]", upstream));
        }
      }
      default -> problem(where + ": the binding has no value");
    }
  }

  private void checkPromise(BindingData data, LiteralType type, String where, Set<String> upstream) {
    String nodeId = data.getPromise().getNodeId();
    String var = data.getPromise().getVar();
    Node source = nodes.get(nodeId);
    if (source == null) {
      problem(where + ": node '" + nodeId + "' does not exist");
      return;
    }
    upstream.add(nodeId);
    Identifier sourceTask = taskOf(source);
    TaskTemplate task = sourceTask == null ? null : tasks.get(sourceTask);
    if (task == null) {
      return; // reported for the source node itself
    }
    Variable output = task.getInterface().getOutputsMap().get(var);
    if (output == null) {
      problem(where + ": node " + nodeId + " has no output '" + var + "' (outputs: "
          + String.join(", ", task.getInterface().getOutputsMap().keySet()) + ")");
    } else {
      LiteralType produced = source.hasMapNode()
          ? LiteralTypes.listOf(output.getType())
          : output.getType();
      sameType(produced, type, where, "output " + nodeId + "." + var);
    }
  }

  private void sameType(LiteralType actual, LiteralType expected, String where, String source) {
    if (!actual.equals(expected)) {
      problem(where + ": expected " + LiteralTypes.describe(expected) + ", but " + source
          + " is " + LiteralTypes.describe(actual));
    }
  }

  /** Kahn's algorithm; what remains is on or behind a cycle, and one cycle is named. */
  private void checkAcyclic(Map<String, Set<String>> upstream) {
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> downstream = new HashMap<>();
    upstream.forEach((node, ups) -> {
      pending.put(node, ups.size());
      ups.forEach(up -> downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(node));
    });
    Deque<String> ready = new ArrayDeque<>();
    pending.forEach((node, count) -> {
      if (count == 0) {
        ready.add(node);
      }
    });
    int visited = 0;
    while (!ready.isEmpty()) {
      String node = ready.poll();
      visited++;
      for (String next : downstream.getOrDefault(node, List.of())) {
        if (pending.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    if (visited < upstream.size()) {
      problem("cycle: " + cycle(upstream, pending));
    }
  }

  private static String cycle(Map<String, Set<String>> upstream, Map<String, Integer> pending) {
    String start = pending.entrySet().stream().filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    List<String> path = new ArrayList<>();
    String current = start;
    while (!path.contains(current)) {
      path.add(current);
      String from = current;
      current = upstream.get(from).stream().filter(up -> pending.get(up) > 0).findFirst().orElseThrow();
    }
    List<String> loop = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
    java.util.Collections.reverse(loop);
    loop.add(loop.get(0));
    return String.join(" -> ", loop);
  }

  private void problem(String problem) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(problem);
    }
  }

  /** The task a task or map node runs, normalised to resource type TASK; null for neither. */
  public static Identifier taskOf(Node node) {
    Identifier id;
    if (node.hasTaskNode()) {
      id = node.getTaskNode().getTaskId();
    } else if (node.hasMapNode()) {
      id = node.getMapNode().getTaskId();
    } else {
      return null;
    }
    return id.toBuilder().setResourceType(ResourceType.TASK).build();
  }

  private static String describe(Identifier id) {
    return id.getProject() + "/" + id.getDomain() + "/" + id.getName() + "@" + id.getVersion();
  }
}
