package io.starling.admin.compiler;

import static io.starling.admin.compiler.WorkflowCompilerTest.ADD;
import static io.starling.admin.compiler.WorkflowCompilerTest.INTEGER;
import static io.starling.admin.compiler.WorkflowCompilerTest.STRING;
import static io.starling.admin.compiler.WorkflowCompilerTest.TASKS;
import static io.starling.admin.compiler.WorkflowCompilerTest.WORKFLOW;
import static io.starling.admin.compiler.WorkflowCompilerTest.bind;
import static io.starling.admin.compiler.WorkflowCompilerTest.literal;
import static io.starling.admin.compiler.WorkflowCompilerTest.node;
import static io.starling.admin.compiler.WorkflowCompilerTest.promise;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.admin.AdminException;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.Comparison;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Node;
import io.starling.proto.core.Operand;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowNode;
import io.starling.proto.core.WorkflowTemplate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Branch, sub-workflow and launch-plan nodes at registration. */
class NodeKindsCompilerTest {

  private static final Identifier LEN = WorkflowCompilerTest.task("len");
  private static final Map<Identifier, TaskTemplate> TASKS_WITH_LEN = tasksWithLen();
  /** sub: input a integer -> output o string, through add. */
  private static final Identifier SUB = workflowId("sub", "v1");
  private static final Identifier PLAN = Identifier.newBuilder()
      .setResourceType(ResourceType.LAUNCH_PLAN).setProject("p").setDomain("d")
      .setName("sub-plan").setVersion("v1").build();

  private static Map<Identifier, TaskTemplate> tasksWithLen() {
    Map<Identifier, TaskTemplate> tasks = new HashMap<>(TASKS);
    tasks.put(LEN, TaskTemplate.newBuilder().setType("process").setInterface(TypedInterface
        .newBuilder().putInputs("a", Variable.newBuilder().setType(INTEGER).build())
        .putOutputs("n", Variable.newBuilder().setType(INTEGER).build())).build());
    return tasks;
  }

  private static Identifier workflowId(String name, String version) {
    return Identifier.newBuilder().setResourceType(ResourceType.WORKFLOW).setProject("p")
        .setDomain("d").setName(name).setVersion(version).build();
  }

  private static CompiledWorkflowClosure subClosure(Identifier id, Identifier... called) {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder()
            .putInputs("a", Variable.newBuilder().setType(INTEGER).build())
            .putOutputs("o", Variable.newBuilder().setType(STRING).build()))
        .addNodes(node("add", ADD, bind("a", BindingData.newBuilder().setWorkflowInput("a").build())))
        .addOutputs(bind("o", promise("add", "o")))
        .build();
    return WorkflowCompiler.compile(id, template, References.ofTasks(TASKS)).toBuilder()
        .addAllCalledWorkflows(java.util.List.of(called)).build();
  }

  private static References references(CompiledWorkflowClosure planWorkflow) {
    LaunchPlanSpec plan = LaunchPlanSpec.newBuilder().setWorkflowId(planWorkflow.getId()).build();
    return new References(TASKS_WITH_LEN, Map.of(SUB, subClosure(SUB)),
        Map.of(PLAN, new References.LaunchPlanTarget(plan, planWorkflow)));
  }

  private static String message(WorkflowTemplate template, References references) {
    try {
      WorkflowCompiler.compile(WORKFLOW, template, references);
    } catch (AdminException e) {
      assertThat(e.code()).isEqualTo(AdminException.Code.INVALID_ARGUMENT);
      return e.getMessage();
    }
    throw new AssertionError("compiled");
  }

  private static BooleanExpression compare(Operand left, Comparison.Operator op, Operand right) {
    return BooleanExpression.newBuilder().setComparison(Comparison.newBuilder()
        .setOperator(op).setLeft(left).setRight(right)).build();
  }

  private static Operand var(String name) {
    return Operand.newBuilder().setVar(name).build();
  }

  private static Operand constant(Literal value) {
    return Operand.newBuilder().setLiteral(value).build();
  }

  private static Node branch(BranchNode.Builder branch) {
    return Node.newBuilder().setId("b").addInputs(bind("v", literal(3)))
        .setBranchNode(branch).build();
  }

  private static IfBlock.Builder when(BooleanExpression condition, Node then) {
    return IfBlock.newBuilder().setCondition(condition).setThenNode(then);
  }

  private static final BooleanExpression V_GT_1 = compare(var("v"), Comparison.Operator.GT,
      constant(Literal.newBuilder().setFloatValue(1.5).build()));

  @Test
  void aBranchWaitsForWhatItsCasesUseAndOthersBindItsCommonOutputs() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .addNodes(node("up", ADD, bind("a", literal(1))))
        .addNodes(node("b", ADD).toBuilder().clearTaskNode().addInputs(bind("v", literal(3)))
            .setBranchNode(BranchNode.newBuilder()
                .addCases(when(V_GT_1, node("big", ADD, bind("a", literal(2)))))
                .setElseNode(node("small", ADD, bind("a", literal(0)))
                    .toBuilder().addUpstreamNodeIds("up").build())).build())
        .addNodes(node("after", ADD, bind("a", literal(1))).toBuilder().clearInputs()
            .addInputs(bind("a", literal(1))).addUpstreamNodeIds("b").build())
        .build();

    CompiledWorkflowClosure closure = WorkflowCompiler.compile(WORKFLOW, template, references(subClosure(SUB)));

    assertThat(closure.getUpstreamMap().get("b").getIdsList()).containsExactly("up");
  }

  @Test
  void badBranchesAreRejectedNamingTheCase() {
    References refs = references(subClosure(SUB));
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(branch(BranchNode.newBuilder()))
        .build(), refs)).contains("node b: a branch needs at least one case");
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(branch(BranchNode.newBuilder()
        .addCases(when(compare(var("zz"), Comparison.Operator.EQ, constant(Literal.newBuilder()
            .setInteger(1).build())), node("c", ADD, bind("a", literal(1)))))))
        .build(), refs)).contains("node b case 1: 'zz' is not an input of the branch node (inputs: v)");
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(branch(BranchNode.newBuilder()
        .addCases(when(compare(var("v"), Comparison.Operator.LT, constant(Literal.newBuilder()
            .setStringValue("x").build())), node("c", ADD, bind("a", literal(1)))))))
        .build(), refs)).contains("node b case 1: cannot compare number with string");
    assertThat(message(WorkflowTemplate.newBuilder().addNodes(branch(BranchNode.newBuilder()
        .addCases(when(V_GT_1, node("c", ADD, bind("a", literal(1)))))
        .setElseNode(node("d", LEN, bind("a", literal(1))))))
        .build(), refs))
        .contains("node b: every case must produce the same outputs, but case c produces"
            + " {o: string} and case d produces {n: integer}");
  }

  @Test
  void aSubWorkflowIsCarriedInTheClosureWithItsTasks() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putOutputs("out", Variable.newBuilder().setType(STRING).build()))
        .addNodes(Node.newBuilder().setId("s").addInputs(bind("a", literal(4)))
            .setWorkflowNode(WorkflowNode.newBuilder().setSubWorkflowRef(SUB)))
        .addOutputs(bind("out", promise("s", "o")))
        .build();

    CompiledWorkflowClosure closure = WorkflowCompiler.compile(WORKFLOW, template, references(subClosure(SUB)));

    assertThat(closure.getSubWorkflowsList()).singleElement()
        .satisfies(sub -> assertThat(sub.getId()).isEqualTo(SUB));
    assertThat(closure.getTasksList()).extracting(task -> task.getId().getName()).contains("add");
  }

  @Test
  void aLaunchPlanNodeIsTypedByItsWorkflowAndRecordsWhatItCalls() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .addNodes(Node.newBuilder().setId("child").addInputs(bind("a", literal(4)))
            .setWorkflowNode(WorkflowNode.newBuilder().setLaunchPlanRef(PLAN)))
        .addNodes(node("after", ADD, bind("a", promise("child", "o"))))
        .build();

    assertThat(message(template, references(subClosure(SUB))))
        .contains("node after: input 'a': expected integer, but output child.o is string");
    WorkflowTemplate unbound = WorkflowTemplate.newBuilder()
        .addNodes(Node.newBuilder().setId("child")
            .setWorkflowNode(WorkflowNode.newBuilder().setLaunchPlanRef(PLAN))).build();
    assertThat(message(unbound, references(subClosure(SUB))))
        .contains("node child: input 'a' is not bound");

    CompiledWorkflowClosure closure = WorkflowCompiler.compile(WORKFLOW, WorkflowTemplate.newBuilder()
        .addNodes(template.getNodes(0)).build(), references(subClosure(SUB)));
    assertThat(closure.getLaunchPlansList()).singleElement()
        .satisfies(plan -> assertThat(plan.getInterface().getOutputsMap()).containsKey("o"));
    assertThat(closure.getCalledWorkflowsList()).containsExactly(SUB);
  }

  @Test
  void aWorkflowThatWouldStartItselfThroughLaunchPlansIsRejected() {
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .addNodes(Node.newBuilder().setId("again").addInputs(bind("a", literal(4)))
            .setWorkflowNode(WorkflowNode.newBuilder().setLaunchPlanRef(PLAN))).build();

    Identifier olderSelf = workflowId(WORKFLOW.getName(), "v0");
    assertThat(message(template, references(subClosure(olderSelf))))
        .contains("node again: launch plan p/d/sub-plan@v1 runs this workflow;"
            + " a workflow cannot start itself");
    assertThat(message(template, references(subClosure(SUB, olderSelf))))
        .contains("node again: launch plan p/d/sub-plan@v1 starts this workflow (through"
            + " launch plans, p/d/w@v0); a workflow cannot start itself");
  }
}
