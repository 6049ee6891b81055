package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.starling.app.replica.Replica;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ExecutionSpec;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.Comparison;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.Operand;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowNode;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branch, sub-workflow and launch-plan nodes on a whole sandbox: {@code parent(x)} picks a case
 * on x, passes the result through the sub-workflow {@code child} (inlined) and then through
 * the launch plan {@code child} (a child execution), and returns it. The sandbox allows one
 * level of nesting, so a workflow that calls {@code parent} through its launch plan fails at
 * run time when {@code parent} would start its own child.
 */
class NodeKindsIT {

  private static final LiteralType INTEGER = LiteralType.newBuilder().setSimple(SimpleType.INTEGER).build();
  private static final Variable INT = Variable.newBuilder().setType(INTEGER).build();

  @TempDir static Path data;
  private static Replica sandbox;
  private static AdminClient client;

  @BeforeAll
  static void start() {
    sandbox = TestSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE", "false",
        "STARLING_ADMIN_MAX_NESTING", "1"));
    client = new AdminClient("127.0.0.1", sandbox.grpcPort());
    client.call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "echo", "v1")).setSpec(TaskTemplate.newBuilder()
            .setType("echo").setInterface(TypedInterface.newBuilder()
                .putInputs("a", INT).putOutputs("o", INT))).build());
    register("child", "v1", WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("a", INT).putOutputs("o", INT))
        .addNodes(echo("e", input("a")))
        .addOutputs(bind("o", promise("e", "o"))).build());
    register("parent", "v1", WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("x", INT).putOutputs("out", INT))
        .addNodes(Node.newBuilder().setId("pick").addInputs(bind("v", input("x")))
            .setBranchNode(BranchNode.newBuilder()
                .addCases(IfBlock.newBuilder().setCondition(greaterThan("v", 10))
                    .setThenNode(echo("big", input("x"))))
                .setElseNode(echo("small", constant(0)))))
        .addNodes(Node.newBuilder().setId("sub").addInputs(bind("a", promise("pick", "o")))
            .setWorkflowNode(WorkflowNode.newBuilder()
                .setSubWorkflowRef(id(ResourceType.WORKFLOW, "child", "v1"))))
        .addNodes(callChild("call", promise("sub", "o")))
        .addOutputs(bind("out", promise("call", "o"))).build());
    register("strict", "v1", WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("x", INT))
        .addNodes(Node.newBuilder().setId("pick").addInputs(bind("v", input("x")))
            .setBranchNode(BranchNode.newBuilder()
                .addCases(IfBlock.newBuilder().setCondition(greaterThan("v", 10))
                    .setThenNode(echo("big", input("x")))))).build());
    register("top", "v1", WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("x", INT))
        .addNodes(Node.newBuilder().setId("nested").addInputs(bind("x", input("x")))
            .setWorkflowNode(WorkflowNode.newBuilder()
                .setLaunchPlanRef(id(ResourceType.LAUNCH_PLAN, "parent", "v1")))).build());
  }

  @AfterAll
  static void stop() {
    client.close();
    sandbox.close();
  }

  @Test
  void theBranchPicksOnTheInputAndValuesFlowThroughTheSubWorkflowAndTheChildExecution() {
    ExecutionIdentifier big = run("parent", "big-run", 42);
    ExecutionIdentifier small = run("parent", "small-run", 3);

    assertThat(phase(big)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(output(big, "out")).isEqualTo(42);
    assertThat(output(small, "out")).isZero();
    List<NodeExecutionRecord> nodes = nodes(big);
    assertThat(nodes).extracting(node -> node.getId().getNodeId())
        .containsExactlyInAnyOrder("pick", "sub", "sub.e", "call");
    assertThat(nodes).allSatisfy(node ->
        assertThat(node.getPhase()).isEqualTo(io.starling.proto.core.NodeExecution.Phase.SUCCEEDED));
    assertThat(nodes).filteredOn(node -> node.getId().getNodeId().equals("pick"))
        .singleElement().satisfies(node -> assertThat(node.getBranchTaken()).isEqualTo("big"));
    assertThat(nodes(small)).filteredOn(node -> node.getId().getNodeId().equals("pick"))
        .singleElement().satisfies(node -> assertThat(node.getBranchTaken()).isEqualTo("small"));

    List<Execution> children = client.call(AdminServiceGrpcClient.ListExecutions,
        ExecutionListRequest.newBuilder().setProject("p").setDomain("d")
            .setLaunchPlanName("child").setLimit(100).build()).getExecutionsList();
    assertThat(children).filteredOn(child ->
            child.getSpec().getParentNodeExecution().getExecutionId().equals(big))
        .singleElement().satisfies(child -> {
          assertThat(child.getSpec().getMode()).isEqualTo(ExecutionSpec.Mode.CHILD);
          assertThat(child.getSpec().getParentNodeExecution().getNodeId()).isEqualTo("call");
          assertThat(child.getClosure().getPhase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
        });
  }

  @Test
  void aBranchWithNoMatchingCaseAndNoElseFailsClearly() {
    ExecutionIdentifier run = run("strict", "strict-run", 3);

    Execution execution = get(run);
    assertThat(execution.getClosure().getPhase()).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(execution.getClosure().getError().getCode()).isEqualTo("BranchNoMatch");
    assertThat(execution.getClosure().getError().getMessage())
        .contains("no case of branch node pick matched and it has no else");
  }

  @Test
  void nestingDeeperThanTheBoundFailsTheNodeThatWouldGoDeeper() {
    ExecutionIdentifier run = run("top", "top-run", 42);

    Execution execution = get(run);
    assertThat(execution.getClosure().getPhase()).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(execution.getClosure().getError().getMessage())
        .contains("the most is 1 (admin.max-nesting)");
  }

  @Test
  void aWorkflowThatWouldStartItselfIsRejectedAtRegistrationAndNothingIsWritten() {
    RpcException rejected = catchThrowableOfType(() -> register("parent", "v2",
        WorkflowTemplate.newBuilder().setInterface(TypedInterface.newBuilder().putInputs("x", INT))
            .addNodes(Node.newBuilder().setId("again").addInputs(bind("x", input("x")))
                .setWorkflowNode(WorkflowNode.newBuilder()
                    .setLaunchPlanRef(id(ResourceType.LAUNCH_PLAN, "parent", "v1")))).build()),
        RpcException.class);

    assertThat(rejected.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(rejected.getMessage()).contains("node again: launch plan p/d/parent@v1 runs this"
        + " workflow; a workflow cannot start itself");
    RpcException missing = catchThrowableOfType(() -> client.call(AdminServiceGrpcClient.GetWorkflow,
        io.starling.proto.admin.ObjectGetRequest.newBuilder()
            .setId(id(ResourceType.WORKFLOW, "parent", "v2")).build()), RpcException.class);
    assertThat(missing.status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  private static void register(String name, String version, WorkflowTemplate template) {
    client.call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, name, version)).setSpec(template).build());
    client.call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, name, version)).setSpec(LaunchPlanSpec.newBuilder()
            .setWorkflowId(id(ResourceType.WORKFLOW, name, version))).build());
  }

  /** Runs {@code workflow}'s launch plan with input x and waits for it to end. */
  private static ExecutionIdentifier run(String workflow, String name, long x) {
    ExecutionIdentifier id = client.call(AdminServiceGrpcClient.CreateExecution,
        ExecutionCreateRequest.newBuilder().setProject("p").setDomain("d").setName(name)
            .setLaunchPlan(id(ResourceType.LAUNCH_PLAN, workflow, "v1"))
            .setInputs(LiteralMap.newBuilder().putLiterals("x", integer(x))).build()).getId();
    client.watch(id, event -> { });
    return id;
  }

  private static Execution get(ExecutionIdentifier id) {
    return client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build());
  }

  private static WorkflowExecution.Phase phase(ExecutionIdentifier id) {
    return get(id).getClosure().getPhase();
  }

  private static long output(ExecutionIdentifier id, String name) {
    return client.call(AdminServiceGrpcClient.GetExecutionData, ExecutionGetDataRequest.newBuilder()
        .setId(id).build()).getOutputs().getLiteralsOrThrow(name).getInteger();
  }

  private static List<NodeExecutionRecord> nodes(ExecutionIdentifier id) {
    return client.call(AdminServiceGrpcClient.ListNodeExecutions,
        NodeExecutionListRequest.newBuilder().setExecutionId(id).build()).getNodeExecutionsList();
  }

  private static Node echo(String id, BindingData a) {
    return Node.newBuilder().setId(id)
        .setTaskNode(TaskNode.newBuilder().setTaskId(id(ResourceType.TASK, "echo", "v1")))
        .addInputs(bind("a", a)).build();
  }

  private static Node callChild(String id, BindingData a) {
    return Node.newBuilder().setId(id).addInputs(bind("a", a))
        .setWorkflowNode(WorkflowNode.newBuilder()
            .setLaunchPlanRef(id(ResourceType.LAUNCH_PLAN, "child", "v1"))).build();
  }

  private static BooleanExpression greaterThan(String var, long value) {
    return BooleanExpression.newBuilder().setComparison(Comparison.newBuilder()
        .setOperator(Comparison.Operator.GT).setLeft(Operand.newBuilder().setVar(var))
        .setRight(Operand.newBuilder().setLiteral(integer(value)))).build();
  }

  private static Identifier id(ResourceType type, String name, String version) {
    return Identifier.newBuilder().setResourceType(type).setProject("p").setDomain("d")
        .setName(name).setVersion(version).build();
  }

  private static Binding bind(String var, BindingData data) {
    return Binding.newBuilder().setVar(var).setBinding(data).build();
  }

  private static BindingData input(String name) {
    return BindingData.newBuilder().setWorkflowInput(name).build();
  }

  private static BindingData constant(long value) {
    return BindingData.newBuilder().setLiteral(integer(value)).build();
  }

  private static BindingData promise(String node, String var) {
    return BindingData.newBuilder()
        .setPromise(OutputReference.newBuilder().setNodeId(node).setVar(var)).build();
  }

  private static Literal integer(long value) {
    return Literal.newBuilder().setInteger(value).build();
  }
}
