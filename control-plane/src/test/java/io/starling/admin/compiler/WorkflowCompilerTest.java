package io.starling.admin.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.admin.AdminException;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BindingDataCollection;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowCompilerTest {

  static final LiteralType INTEGER = LiteralType.newBuilder().setSimple(SimpleType.INTEGER).build();
  static final LiteralType STRING = LiteralType.newBuilder().setSimple(SimpleType.STRING).build();
  static final Identifier WORKFLOW = Identifier.newBuilder().setResourceType(ResourceType.WORKFLOW)
      .setProject("p").setDomain("d").setName("w").setVersion("v1").build();
  /** add: a integer -> o string. */
  static final Identifier ADD = task("add");
  /** relay: s string -> o string. */
  static final Identifier RELAY = task("relay");
  static final Map<Identifier, TaskTemplate> TASKS = Map.of(ADD, TaskTemplate.newBuilder()
      .setType("process")
      .setInterface(TypedInterface.newBuilder()
          .putInputs("a", Variable.newBuilder().setType(INTEGER).build())
          .putOutputs("o", Variable.newBuilder().setType(STRING).build()))
      .build(), RELAY, TaskTemplate.newBuilder()
      .setType("process")
      .setInterface(TypedInterface.newBuilder()
          .putInputs("s", Variable.newBuilder().setType(STRING).build())
          .putOutputs("o", Variable.newBuilder().setType(STRING).build()))
      .build());

  static Identifier task(String name) {
    return Identifier.newBuilder().setResourceType(ResourceType.TASK).setProject("p")
        .setDomain("d").setName(name).setVersion("v1").build();
  }

  static Node node(String id, Identifier task, Binding... inputs) {
    return Node.newBuilder().setId(id).setTaskNode(TaskNode.newBuilder().setTaskId(task))
        .addAllInputs(List.of(inputs)).build();
  }

  static Binding bind(String var, BindingData data) {
    return Binding.newBuilder().setVar(var).setBinding(data).build();
  }

  static BindingData literal(long value) {
    return BindingData.newBuilder().setLiteral(Literal.newBuilder().setInteger(value)).build();
  }

  static BindingData promise(String node, String var) {
    return BindingData.newBuilder()
        .setPromise(OutputReference.newBuilder().setNodeId(node).setVar(var)).build();
  }


  private static String message(WorkflowTemplate template) {
    try {
      WorkflowCompiler.compile(WORKFLOW, template, References.ofTasks(TASKS));
    } catch (AdminException e) {
      assertThat(e.code()).isEqualTo(AdminException.Code.INVALID_ARGUMENT);
      return e.getMessage();
    }
    throw new AssertionError("compiled");
  }

  @Test
  void aValidFanOutAndJoinCompilesWithItsUpstreamEdges() {
    Identifier join = task("join");
    Map<Identifier, TaskTemplate> tasks = new java.util.HashMap<>(TASKS);
    tasks.put(join, TaskTemplate.newBuilder().setType("process").setInterface(TypedInterface.newBuilder()
        .putInputs("b", Variable.newBuilder().setType(LiteralType.newBuilder().setCollectionType(STRING)).build())
        .putOutputs("o", Variable.newBuilder().setType(STRING).build())).build());
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putOutputs("out", Variable.newBuilder().setType(STRING).build()))
        .addNodes(node("n0", ADD, bind("a", literal(1))))
        .addNodes(node("n1", ADD, bind("a", literal(2))))
        .addNodes(node("j", join, bind("b", BindingData.newBuilder().setCollection(
            BindingDataCollection.newBuilder().addBindings(promise("n0", "o")).addBindings(promise("n1", "o"))).build())))
        .addOutputs(bind("out", promise("j", "o")))
        .build();

    CompiledWorkflowClosure closure = WorkflowCompiler.compile(WORKFLOW, template, References.ofTasks(tasks));

    assertThat(closure.getUpstreamMap().get("j").getIdsList()).containsExactly("n0", "n1");
    assertThat(closure.getUpstreamMap().get("n0").getIdsList()).isEmpty();
    assertThat(closure.getTasksList()).hasSize(2);
  }

  @Test
  void aCycleIsNamed() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .addNodes(node("a", ADD, bind("a", literal(1))).toBuilder().addUpstreamNodeIds("b").build())
        .addNodes(node("b", ADD, bind("a", literal(1))).toBuilder().addUpstreamNodeIds("a").build())
        .build();

    assertThat(message(template)).contains("cycle: ").containsAnyOf(
        "a -> b -> a (b waits for a (upstream_node_ids), a waits for b (upstream_node_ids))",
        "b -> a -> b (a waits for b (upstream_node_ids), b waits for a (upstream_node_ids))");
  }

  @Test
  void aCycleOfBindingsNamesTheInputThatClosesEachEdge() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .addNodes(node("alpha", RELAY, bind("s", promise("beta", "o"))))
        .addNodes(node("beta", RELAY, bind("s", promise("alpha", "o"))))
        .build();

    assertThat(message(template)).containsAnyOf(
        "cycle: alpha -> beta -> alpha (beta.s <- alpha.o, alpha.s <- beta.o)",
        "cycle: beta -> alpha -> beta (alpha.s <- beta.o, beta.s <- alpha.o)");
  }

  @Test
  void anUnregisteredTaskNamesTheNode() {
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(node("n3", task("missing"))).build()))
        .contains("node n3: task p/d/missing@v1 is not registered");
  }

  @Test
  void anUnboundInputAndAnUnknownInputNameTheNodeAndInput() {
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(node("n1", ADD)).build()))
        .contains("node n1: input 'a' is not bound");
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD, bind("a", literal(1)), bind("x", literal(1)))).build()))
        .contains("node n1: input 'x' is not an input of task add (inputs: a)");
  }

  @Test
  void illTypedBindingsNameTheNodeAndInput() {
    BindingData text = BindingData.newBuilder().setLiteral(Literal.newBuilder().setStringValue("x")).build();
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(node("n1", ADD, bind("a", text))).build()))
        .contains("node n1: input 'a': expected integer, got string");

    WorkflowTemplate promised = WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD, bind("a", literal(1))))
        .addNodes(node("n2", ADD, bind("a", promise("n1", "o"))))
        .build();
    assertThat(message(promised)).contains("node n2: input 'a': expected integer, but output n1.o is string");

    WorkflowTemplate input = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("x", Variable.newBuilder().setType(STRING).build()))
        .addNodes(node("n1", ADD, bind("a", BindingData.newBuilder().setWorkflowInput("x").build())))
        .build();
    assertThat(message(input)).contains("expected integer, but workflow input 'x' is string");
  }

  @Test
  void referencesToMissingNodesAndOutputsAreNamed() {
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD, bind("a", promise("ghost", "o")))).build()))
        .contains("node n1: input 'a': node 'ghost' does not exist");
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD, bind("a", literal(1))).toBuilder().addUpstreamNodeIds("ghost").build())
        .build())).contains("upstream node 'ghost' does not exist");
  }

  @Test
  void workflowOutputsMustBeBoundOnceAndDeclared() {
    WorkflowTemplate unbound = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putOutputs("out", Variable.newBuilder().setType(STRING).build()))
        .build();
    assertThat(message(unbound)).contains("workflow output 'out' is not bound");

    WorkflowTemplate undeclared = WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD, bind("a", literal(1))))
        .addOutputs(bind("extra", promise("n1", "o"))).build();
    assertThat(message(undeclared)).contains("workflow output 'extra' is bound but not declared");
  }

  @Test
  void duplicateAndMalformedNodeIdsAreRefused() {
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD, bind("a", literal(1))))
        .addNodes(node("n1", ADD, bind("a", literal(1)))).build()))
        .contains("node n1: the id is used twice");
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(node("N 1", ADD, bind("a", literal(1)))).build()))
        .contains("node 'N 1': ids are 1-63 characters");
  }

  @Test
  void severalProblemsAreReportedTogether() {
    String message = message(WorkflowTemplate.newBuilder()
        .addNodes(node("n1", ADD)).addNodes(node("n2", task("missing"))).build());

    assertThat(message).contains("node n1: input 'a' is not bound").contains("node n2: task");
  }

  static Node mapNode(String id, MapNode.Builder options, Binding... inputs) {
    return Node.newBuilder().setId(id).setMapNode(options.setTaskId(ADD))
        .addAllInputs(List.of(inputs)).build();
  }

  static BindingData workflowInput(String name) {
    return BindingData.newBuilder().setWorkflowInput(name).build();
  }

  static LiteralType listOf(LiteralType item) {
    return LiteralType.newBuilder().setCollectionType(item).build();
  }

  /** The seed: map add over the workflow's list of integers; its output is a list of strings. */
  @Test
  void aMapNodeTakesListsOfItsTaskInputsAndGivesListsOfItsOutputs() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder()
            .putInputs("xs", Variable.newBuilder().setType(listOf(INTEGER)).build())
            .putOutputs("out", Variable.newBuilder().setType(listOf(STRING)).build()))
        .addNodes(mapNode("m", MapNode.newBuilder().setConcurrency(10), bind("a", workflowInput("xs"))))
        .addOutputs(bind("out", promise("m", "o")))
        .build();

    CompiledWorkflowClosure closure = WorkflowCompiler.compile(WORKFLOW, template, References.ofTasks(TASKS));

    assertThat(closure.getTasksList()).extracting(t -> t.getId().getName()).containsExactly("add");
    assertThat(ReferencedIds.of(template).tasks()).containsExactly(ADD);
  }

  @Test
  void mappingOverAValueThatIsNotAListNamesTheNodeAndInput() {
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(mapNode("m", MapNode.newBuilder(), bind("a", literal(1)))).build()))
        .contains("node m: input 'a': expected list<integer>, got integer");
  }

  @Test
  void aMapNodeOutputIsAListNotAnItem() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder()
            .putOutputs("out", Variable.newBuilder().setType(STRING).build()))
        .addNodes(mapNode("m", MapNode.newBuilder(), bind("a", BindingData.newBuilder()
            .setCollection(BindingDataCollection.newBuilder().addBindings(literal(1))).build())))
        .addOutputs(bind("out", promise("m", "o")))
        .build();

    assertThat(message(template))
        .contains("workflow output 'out': expected string, but output m.o is list<string>");
  }

  @Test
  void badMapOptionsAreNamed() {
    Binding items = bind("a", BindingData.newBuilder()
        .setCollection(BindingDataCollection.newBuilder().addBindings(literal(1))).build());
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(mapNode("m", MapNode.newBuilder().setConcurrency(-1), items)).build()))
        .contains("node m: concurrency must be 0 (all at once) or more, got -1");
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(mapNode("m", MapNode.newBuilder().setMinSuccessRatio(1.5f), items)).build()))
        .contains("node m: min_success_ratio must be in [0, 1], got 1.5");
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(mapNode("m", MapNode.newBuilder().setMinSuccesses(-2), items)).build()))
        .contains("node m: min_successes must be 0 or more, got -2");
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(mapNode("m", MapNode.newBuilder().addBroadcastInputs("zz"), items)).build()))
        .contains("node m: broadcast input 'zz' is not an input of the task");
    assertThat(message(WorkflowTemplate.newBuilder()
        .addNodes(mapNode("m", MapNode.newBuilder().addBroadcastInputs("a"), bind("a", literal(1))))
        .build()))
        .contains("node m: every input is broadcast, so there is no list to map over");
  }
}
