package io.starling.propeller;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.CompiledSubWorkflow;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Container;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowMetadata;
import io.starling.proto.core.WorkflowTemplate;
import java.time.Duration;
import java.util.List;

/** Compiled workflow closures for the propeller's tests, as the admin's compiler writes them. */
public final class Workflows {

  public static final LiteralType INTEGER = LiteralType.newBuilder().setSimple(SimpleType.INTEGER).build();

  private final CompiledWorkflowClosure.Builder closure = CompiledWorkflowClosure.newBuilder();
  private final WorkflowTemplate.Builder template = WorkflowTemplate.newBuilder();

  private Workflows(String name) {
    closure.setId(id(ResourceType.WORKFLOW, name));
  }

  public static Workflows named(String name) {
    return new Workflows(name);
  }

  public static Identifier id(ResourceType type, String name) {
    return Identifier.newBuilder().setResourceType(type).setProject("p").setDomain("d")
        .setName(name).setVersion("v1").build();
  }

  /** A task; {@code retries} and {@code timeout} as in the task's metadata. */
  public static CompiledTask task(String name, String type, int retries, Duration timeout,
      TypedInterface iface, Struct config) {
    return CompiledTask.newBuilder()
        .setId(id(ResourceType.TASK, name))
        .setTemplate(TaskTemplate.newBuilder()
            .setType(type)
            .setInterface(iface)
            .setConfig(config)
            .setMetadata(TaskMetadata.newBuilder()
                .setRetries(RetryStrategy.newBuilder().setRetries(retries))
                .setTimeout(Durations.fromMillis(timeout.toMillis()))))
        .build();
  }

  public static CompiledTask noop() {
    return task("noop", "noop", 0, Duration.ZERO, TypedInterface.getDefaultInstance(),
        Struct.getDefaultInstance());
  }

  public static CompiledTask sleep(Duration duration, Duration timeout) {
    return task("sleep", "sleep", 0, timeout, TypedInterface.getDefaultInstance(),
        Struct.newBuilder().putFields("duration",
            Value.newBuilder().setStringValue(duration.toString()).build()).build());
  }

  public static CompiledTask fail(int retries) {
    return task("fail", "fail", retries, Duration.ZERO, TypedInterface.getDefaultInstance(),
        Struct.getDefaultInstance());
  }

  /** echo with input {@code a} and output {@code o}, both integers. */
  public static CompiledTask echo() {
    Variable integer = Variable.newBuilder().setType(INTEGER).build();
    return task("echo", "echo", 0, Duration.ZERO, TypedInterface.newBuilder()
        .putInputs("a", integer).putOutputs("o", integer).build(), Struct.getDefaultInstance());
  }

  public static CompiledTask process(String name, List<String> command, TypedInterface iface) {
    CompiledTask task = task(name, "process", 0, Duration.ZERO, iface, Struct.getDefaultInstance());
    return task.toBuilder().setTemplate(task.getTemplate().toBuilder()
        .setContainer(Container.newBuilder().addAllCommand(command))).build();
  }

  public Workflows input(String name, LiteralType type) {
    template.setInterface(template.getInterface().toBuilder()
        .putInputs(name, Variable.newBuilder().setType(type).build()));
    return this;
  }

  public Workflows output(String name, LiteralType type, String node, String var) {
    template.setInterface(template.getInterface().toBuilder()
        .putOutputs(name, Variable.newBuilder().setType(type).build()));
    template.addOutputs(Binding.newBuilder().setVar(name).setBinding(promise(node, var)));
    return this;
  }

  public Workflows failAfterRunningNodesComplete() {
    template.setMetadata(WorkflowMetadata.newBuilder()
        .setOnFailure(WorkflowMetadata.OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE));
    return this;
  }

  /** Adds a node running {@code task} after {@code upstream}, with {@code inputs}. */
  public Workflows node(String id, CompiledTask task, List<String> upstream, Binding... inputs) {
    if (!closure.getTasksList().contains(task)) {
      closure.addTasks(task);
    }
    template.addNodes(Node.newBuilder()
        .setId(id)
        .setTaskNode(TaskNode.newBuilder().setTaskId(task.getId()))
        .addAllInputs(List.of(inputs))
        .addAllUpstreamNodeIds(upstream));
    closure.putUpstream(id, NodeIdList.newBuilder().addAllIds(upstream).build());
    return this;
  }

  /**
   * Adds a map node running {@code task} per item after {@code upstream}, with the options set
   * in {@code map} (its task id is filled in).
   */
  public Workflows mapNode(String id, CompiledTask task, MapNode.Builder map, List<String> upstream,
      Binding... inputs) {
    if (!closure.getTasksList().contains(task)) {
      closure.addTasks(task);
    }
    template.addNodes(Node.newBuilder()
        .setId(id)
        .setMapNode(map.setTaskId(task.getId()))
        .addAllInputs(List.of(inputs))
        .addAllUpstreamNodeIds(upstream));
    closure.putUpstream(id, NodeIdList.newBuilder().addAllIds(upstream).build());
    return this;
  }

  /**
   * Adds {@code node} as given (a branch or workflow node) after {@code upstream}, with the
   * tasks its cases use.
   */
  public Workflows rawNode(Node node, List<String> upstream, CompiledTask... tasks) {
    for (CompiledTask task : tasks) {
      if (!closure.getTasksList().contains(task)) {
        closure.addTasks(task);
      }
    }
    template.addNodes(node);
    closure.putUpstream(node.getId(), NodeIdList.newBuilder().addAllIds(upstream).build());
    return this;
  }

  /** Adds {@code workflow}'s closure as a sub-workflow: its template, upstream map and tasks. */
  public Workflows subWorkflow(CompiledWorkflowClosure workflow) {
    closure.addSubWorkflows(CompiledSubWorkflow.newBuilder().setId(workflow.getId())
        .setTemplate(workflow.getTemplate()).putAllUpstream(workflow.getUpstreamMap()));
    workflow.getTasksList().forEach(task -> {
      if (!closure.getTasksList().contains(task)) {
        closure.addTasks(task);
      }
    });
    return this;
  }

  /** {@code width} independent nodes of {@code task}. */
  public Workflows fanOut(int width, CompiledTask task) {
    for (int i = 0; i < width; i++) {
      node("n" + i, task, List.of());
    }
    return this;
  }

  public static Binding bind(String var, BindingData data) {
    return Binding.newBuilder().setVar(var).setBinding(data).build();
  }

  public static BindingData promise(String node, String var) {
    return BindingData.newBuilder()
        .setPromise(OutputReference.newBuilder().setNodeId(node).setVar(var)).build();
  }

  public static BindingData constant(Literal value) {
    return BindingData.newBuilder().setLiteral(value).build();
  }

  /** A list of integers. */
  public static Literal integers(long... values) {
    LiteralCollection.Builder list = LiteralCollection.newBuilder();
    for (long value : values) {
      list.addLiterals(Literal.newBuilder().setInteger(value));
    }
    return Literal.newBuilder().setCollection(list).build();
  }

  public static BindingData workflowInput(String name) {
    return BindingData.newBuilder().setWorkflowInput(name).build();
  }

  public CompiledWorkflowClosure build() {
    return closure.setTemplate(template).build();
  }
}
