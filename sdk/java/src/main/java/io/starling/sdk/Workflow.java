package io.starling.sdk;

import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeMetadata;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow built in Java: its inputs, the task and map nodes over them, and its outputs.
 * <pre>{@code
 * Workflow.Builder wf = Workflow.named("my_map_workflow");
 * Value<List<Long>> a = wf.input("a", Type.list(Type.INTEGER));
 * Value<List<String>> mapped = wf.map(aMappableTask).bind("a", a).retries(1)
 *     .output("o0", Type.list(Type.STRING));
 * wf.output("o0", wf.task(coalesce).bind("b", mapped).output("o0", Type.STRING));
 * }</pre>
 */
public final class Workflow {

  /** A value a workflow has at run time: one of its inputs or a node's output. */
  public static final class Value<T> {
    private final BindingData binding;
    private final String node;
    private final Type<T> type;

    private Value(BindingData binding, String node, Type<T> type) {
      this.binding = binding;
      this.node = node;
      this.type = type;
    }
  }

  private final String name;
  private final WorkflowTemplate template;
  private final List<Task> tasks;
  private final Map<String, Type<?>> inputs;
  private final Map<String, Type<?>> outputs;

  private Workflow(String name, WorkflowTemplate template, List<Task> tasks,
      Map<String, Type<?>> inputs, Map<String, Type<?>> outputs) {
    this.name = name;
    this.template = template;
    this.tasks = List.copyOf(tasks);
    this.inputs = Map.copyOf(inputs);
    this.outputs = Map.copyOf(outputs);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** The tasks its nodes run. */
  public List<Task> tasks() {
    return tasks;
  }

  Map<String, Type<?>> inputs() {
    return inputs;
  }

  Map<String, Type<?>> outputs() {
    return outputs;
  }

  /** {@code value} as the literal of input {@code input}, or an error naming {@code where}. */
  io.starling.proto.core.Literal literal(String input, Object value, String where) {
    Type<?> type = inputs.get(input);
    if (type == null) {
      throw new IllegalArgumentException(where + ": workflow " + name + " has no input "
          + input);
    }
    return type.literalOf(value, where + " input " + input);
  }

  /** The template with its task references at {@code project/domain/…@version}. */
  WorkflowTemplate template(String project, String domain, String version) {
    WorkflowTemplate.Builder resolved = template.toBuilder();
    for (Node.Builder node : resolved.getNodesBuilderList()) {
      Identifier.Builder id = node.hasTaskNode() ? node.getTaskNodeBuilder().getTaskIdBuilder()
          : node.getMapNodeBuilder().getTaskIdBuilder();
      id.setProject(project).setDomain(domain).setVersion(version);
    }
    return resolved.build();
  }

  /** Builds a workflow. */
  public static final class Builder {
    private final String name;
    private final WorkflowTemplate.Builder template = WorkflowTemplate.newBuilder();
    private final TypedInterface.Builder types = TypedInterface.newBuilder();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Type<?>> inputs = new LinkedHashMap<>();
    private final Map<String, Type<?>> outputs = new LinkedHashMap<>();
    private final List<NodeBuilder> nodes = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public <T> Value<T> input(String input, Type<T> type) {
      types.putInputs(input, Variable.newBuilder().setType(type.literalType()).build());
      inputs.put(input, type);
      return new Value<>(BindingData.newBuilder().setWorkflowInput(input).build(), null, type);
    }

    /** A node that runs {@code task} once. */
    public NodeBuilder task(Task task) {
      return node(task, false);
    }

    /** A node that runs {@code task} once per item of its inputs' lists. */
    public NodeBuilder map(Task task) {
      return node(task, true);
    }

    private NodeBuilder node(Task task, boolean map) {
      Task known = tasks.putIfAbsent(task.name(), task);
      if (known != null && known != task) {
        throw new IllegalArgumentException("workflow " + name + " has two tasks named "
            + task.name());
      }
      NodeBuilder node = new NodeBuilder("n" + nodes.size(), task, map);
      nodes.add(node);
      return node;
    }

    public <T> Builder output(String output, Value<T> value) {
      types.putOutputs(output, Variable.newBuilder().setType(value.type.literalType()).build());
      outputs.put(output, value.type);
      template.addOutputs(Binding.newBuilder().setVar(output).setBinding(value.binding));
      return this;
    }

    public Workflow build() {
      nodes.forEach(node -> template.addNodes(node.node));
      return new Workflow(name, template.setInterface(types).build(),
          new ArrayList<>(tasks.values()), inputs, outputs);
    }
  }

  /** One node being built: its bindings, overrides and outputs. */
  public static final class NodeBuilder {
    private final Node.Builder node;

    private NodeBuilder(String id, Task task, boolean map) {
      Identifier taskId = Identifier.newBuilder().setResourceType(ResourceType.TASK)
          .setName(task.name()).build();
      this.node = Node.newBuilder().setId(id).setMetadata(NodeMetadata.getDefaultInstance());
      if (map) {
        node.setMapNode(MapNode.newBuilder().setTaskId(taskId));
      } else {
        node.setTaskNode(TaskNode.newBuilder().setTaskId(taskId));
      }
    }

    /** Binds the task's input {@code input} to {@code value}. */
    public NodeBuilder bind(String input, Value<?> value) {
      node.addInputs(Binding.newBuilder().setVar(input).setBinding(value.binding));
      if (value.node != null && !node.getUpstreamNodeIdsList().contains(value.node)) {
        node.addUpstreamNodeIds(value.node);
      }
      return this;
    }

    /** Binds {@code input} to a constant. */
    public <T> NodeBuilder bind(String input, Type<T> type, T constant) {
      node.addInputs(Binding.newBuilder().setVar(input).setBinding(
          BindingData.newBuilder().setLiteral(type.literal(constant))));
      return this;
    }

    public NodeBuilder retries(int retries) {
      node.getMetadataBuilder().setRetries(retries);
      return this;
    }

    /** Most subtasks of a map node at once (0: all). */
    public NodeBuilder concurrency(int concurrency) {
      node.getMapNodeBuilder().setConcurrency(concurrency);
      return this;
    }

    /** The node's output {@code output} (of a map node: the list of its subtasks' outputs). */
    public <T> Value<T> output(String output, Type<T> type) {
      return new Value<>(BindingData.newBuilder().setPromise(OutputReference.newBuilder()
          .setNodeId(node.getId()).setVar(output)).build(), node.getId(), type);
    }
  }
}
