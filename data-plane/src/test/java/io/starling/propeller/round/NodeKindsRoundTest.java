package io.starling.propeller.round;

import static io.starling.propeller.Workflows.bind;
import static io.starling.propeller.Workflows.promise;
import static io.starling.propeller.Workflows.workflowInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.Comparison;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Conjunction;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.Operand;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowNode;
import io.starling.propeller.Workflows;
import io.starling.propeller.graph.GraphCompiler;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Branch nodes and inlined sub-workflows, one round at a time. */
class NodeKindsRoundTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final CompiledTask ECHO = Workflows.echo();
  private static final CompiledTask NOOP = Workflows.noop();

  private static ExecutionState state(CompiledWorkflowClosure closure, long x) {
    ExecutionState state = new ExecutionState(1, "p/d/e", 3, GraphCompiler.compile(closure),
        LiteralMap.newBuilder().putLiterals("x", integer(x)).build(), 0, 0,
        WorkflowExecution.Phase.QUEUED, null);
    state.initialize(AttemptsInFlight.NONE);
    return state;
  }

  private static Literal integer(long value) {
    return Literal.newBuilder().setInteger(value).build();
  }

  private static BooleanExpression compare(String var, Comparison.Operator operator, long value) {
    return BooleanExpression.newBuilder().setComparison(Comparison.newBuilder()
        .setOperator(operator)
        .setLeft(Operand.newBuilder().setVar(var))
        .setRight(Operand.newBuilder().setLiteral(integer(value)))).build();
  }

  private static Node echoCase(String id) {
    return Node.newBuilder().setId(id).setTaskNode(TaskNode.newBuilder().setTaskId(ECHO.getId()))
        .addInputs(bind("a", workflowInput("x"))).build();
  }

  /** b: if 10 < x <= 100 -> big; elif x == 0 -> zero; then {@code otherwise}. */
  private static CompiledWorkflowClosure branching(BranchNode.Builder otherwise) {
    BooleanExpression between = BooleanExpression.newBuilder().setConjunction(
        Conjunction.newBuilder().setOperator(Conjunction.Operator.AND)
            .setLeft(compare("v", Comparison.Operator.GT, 10))
            .setRight(compare("v", Comparison.Operator.LTE, 100))).build();
    BranchNode branch = otherwise
        .addCases(IfBlock.newBuilder().setCondition(between).setThenNode(echoCase("big")))
        .addCases(IfBlock.newBuilder().setCondition(compare("v", Comparison.Operator.EQ, 0))
            .setThenNode(echoCase("zero")))
        .build();
    return Workflows.named("branching").input("x", Workflows.INTEGER)
        .rawNode(Node.newBuilder().setId("b").addInputs(bind("v", workflowInput("x")))
            .setBranchNode(branch).build(), List.of(), ECHO)
        .node("after", ECHO, List.of("b"), bind("a", promise("b", "o")))
        .output("o", Workflows.INTEGER, "after", "o")
        .build();
  }

  private static List<TaskEvent> echoed(ExecutionState state, List<TaskAttempt> attempts) {
    return attempts.stream().map(attempt -> new TaskEvent(state.nodeIndex(attempt.nodeId()),
        attempt.attempt(), TaskResult.succeeded(attempt.inputs().containsLiterals("a")
            ? LiteralMap.newBuilder().putLiterals("o", attempt.inputs().getLiteralsOrThrow("a"))
                .build()
            : LiteralMap.getDefaultInstance()))).toList();
  }

  @Test
  void aBranchRunsTheFirstMatchingCaseAsItselfAndPassesItsOutputsOn() {
    ExecutionState state = state(branching(BranchNode.newBuilder()
        .setElseNode(echoCase("small"))), 42);

    RoundResult first = Round.run(state, List.of(), T0);

    assertThat(first.starts()).singleElement().satisfies(attempt -> {
      assertThat(attempt.nodeId()).isEqualTo("b");
      assertThat(attempt.taskId()).isEqualTo(ECHO.getId());
      assertThat(attempt.inputs().getLiteralsOrThrow("a")).isEqualTo(integer(42));
    });
    assertThat(first.nodes()).singleElement().satisfies(row -> assertThat(row.branchTaken())
        .isEqualTo("big"));

    RoundResult second = Round.run(state, echoed(state, first.starts()), T0);
    assertThat(state.nodePhase("b")).isEqualTo(NodeExecution.Phase.SUCCEEDED);
    assertThat(second.starts()).singleElement().satisfies(attempt ->
        assertThat(attempt.inputs().getLiteralsOrThrow("a")).isEqualTo(integer(42)));

    Round.run(state, echoed(state, second.starts()), T0);
    assertThat(state.phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
  }

  @Test
  void laterCasesAndTheElseNodeAreTakenInOrder() {
    ExecutionState zero = state(branching(BranchNode.newBuilder()
        .setElseNode(echoCase("small"))), 0);
    assertThat(Round.run(zero, List.of(), T0).nodes().get(0).branchTaken()).isEqualTo("zero");

    ExecutionState small = state(branching(BranchNode.newBuilder()
        .setElseNode(echoCase("small"))), 7);
    assertThat(Round.run(small, List.of(), T0).nodes().get(0).branchTaken()).isEqualTo("small");
  }

  @Test
  void noMatchAndNoElseFailsTheNodeAndTheExecutionWithAClearError() {
    ExecutionState state = state(branching(BranchNode.newBuilder()), 7);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).isEmpty();
    assertThat(state.nodePhase("b")).isEqualTo(NodeExecution.Phase.FAILED);
    assertThat(state.phase()).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(result.execution().error().getCode()).isEqualTo("BranchNoMatch");
    assertThat(result.execution().error().getMessage())
        .contains("no case of branch node b matched and it has no else");
  }

  @Test
  void elseFailFailsTheNodeWithTheUsersMessage() {
    ExecutionState state = state(branching(BranchNode.newBuilder()
        .setElseFail("x must be 0 or in (10, 100]")), 7);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.execution().error().getMessage()).contains("x must be 0 or in (10, 100]");
  }

  @Test
  void aReloadedExecutionTakesTheSameCaseForItsRunningBranch() {
    CompiledWorkflowClosure closure = branching(BranchNode.newBuilder()
        .setElseNode(echoCase("small")));
    ExecutionState reloaded = new ExecutionState(1, "p/d/e", 3, GraphCompiler.compile(closure),
        LiteralMap.newBuilder().putLiterals("x", integer(500)).build(), 0, 1,
        WorkflowExecution.Phase.RUNNING, T0);
    reloaded.restoreNode("b", NodeExecution.Phase.RUNNING, 1, 0, null, null, 2, null);
    reloaded.initialize(AttemptsInFlight.NONE);

    RoundResult result = Round.run(reloaded, List.of(), T0);

    assertThat(result.starts()).singleElement().satisfies(attempt -> {
      assertThat(attempt.attempt()).isEqualTo(1); // attempt 0 was lost with its replica
      assertThat(attempt.inputs().getLiteralsOrThrow("a")).isEqualTo(integer(500));
    });
    assertThat(result.nodes().get(0).branchTaken()).isEqualTo("small");
  }

  @Test
  void aSubWorkflowRunsInlinedAndItsOutputNodeCarriesItsOutputs() {
    CompiledWorkflowClosure inner = Workflows.named("inner").input("a", Workflows.INTEGER)
        .node("first", NOOP, List.of())
        .node("e", ECHO, List.of("first"), bind("a", workflowInput("a")))
        .output("o", Workflows.INTEGER, "e", "o")
        .build();
    CompiledWorkflowClosure outer = Workflows.named("outer").input("x", Workflows.INTEGER)
        .subWorkflow(inner)
        .node("before", NOOP, List.of())
        .rawNode(Node.newBuilder().setId("sub").addInputs(bind("a", workflowInput("x")))
            .setWorkflowNode(WorkflowNode.newBuilder().setSubWorkflowRef(inner.getId().toBuilder()
                .setResourceType(ResourceType.WORKFLOW))).build(), List.of("before"))
        .output("o", Workflows.INTEGER, "sub", "o")
        .build();
    ExecutionState state = state(outer, 9);

    RoundResult first = Round.run(state, List.of(), T0);
    assertThat(first.starts()).extracting(TaskAttempt::nodeId).containsExactly("before");

    RoundResult second = Round.run(state, echoed(state, first.starts()), T0);
    assertThat(second.starts()).extracting(TaskAttempt::nodeId).containsExactly("sub.first");

    RoundResult third = Round.run(state, echoed(state, second.starts()), T0);
    assertThat(third.starts()).singleElement().satisfies(attempt -> {
      assertThat(attempt.nodeId()).isEqualTo("sub.e");
      assertThat(attempt.inputs().getLiteralsOrThrow("a")).isEqualTo(integer(9));
    });

    RoundResult last = Round.run(state, echoed(state, third.starts()), T0);
    assertThat(state.nodePhase("sub")).isEqualTo(NodeExecution.Phase.SUCCEEDED);
    assertThat(state.phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(last.execution().outputs().getLiteralsOrThrow("o")).isEqualTo(integer(9));
  }
}
