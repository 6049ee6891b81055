package io.starling.admin.api;

import static org.assertj.core.api.Assertions.assertThat;


import com.google.protobuf.ByteString;
import io.starling.admin.AdminOptions;
import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionRelaunchRequest;
import io.starling.proto.admin.ExecutionSpec;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionList;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ExecutionTerminateRequest;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.TaskList;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.CacheConfig;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.Literal;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin over real gRPC on a socket, on a real PostgreSQL. */
class AdminGrpcIT {

  private static final int MAX_MESSAGE_BYTES = 64 * 1024;
  private static AdminServer admin;

  @BeforeAll
  static void start() {
    admin = new AdminServer(new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
    call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder().setId(id(ResourceType.TASK, "add", "v1"))
        .setSpec(ADD).build());
    call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "wf", "v1")).setSpec(workflow()).build());
    call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "wf", "v1"))
        .setSpec(LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW, "wf", "v1"))).build());
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  static final LiteralType INTEGER = LiteralType.newBuilder().setSimple(SimpleType.INTEGER).build();
  static final LiteralType STRING = LiteralType.newBuilder().setSimple(SimpleType.STRING).build();
  static final TaskTemplate ADD = TaskTemplate.newBuilder().setType("echo")
      .setInterface(TypedInterface.newBuilder()
          .putInputs("a", Variable.newBuilder().setType(INTEGER).build())
          .putOutputs("a", Variable.newBuilder().setType(INTEGER).build()))
      .build();

  static Identifier id(ResourceType type, String name, String version) {
    return AdminServer.id(type, name, version);
  }

  static WorkflowTemplate workflow() {
    return WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("x", Variable.newBuilder().setType(INTEGER).build()))
        .addNodes(Node.newBuilder().setId("n1").setTaskNode(TaskNode.newBuilder()
            .setTaskId(id(ResourceType.TASK, "add", "v1")))
            .addInputs(Binding.newBuilder().setVar("a").setBinding(BindingData.newBuilder().setWorkflowInput("x"))))
        .build();
  }

  static <Req, Resp> Resp call(ServiceMethod<Resp, Req> method, Req request) {
    return admin.call(method, request);
  }

  static <Req, Resp> Refusal refusal(ServiceMethod<Resp, Req> method, Req request) {
    return admin.refusal(method, request);
  }

  static long count(String sql) throws Exception {
    return admin.count(sql);
  }

  static ExecutionCreateRequest.Builder execution(String name, Literal x) {
    return ExecutionCreateRequest.newBuilder().setProject("proj").setDomain("dev").setName(name)
        .setLaunchPlan(id(ResourceType.LAUNCH_PLAN, "wf", "v1"))
        .setInputs(LiteralMap.newBuilder().putLiterals("x", x));
  }

  static Literal integer(long value) {
    return Literal.newBuilder().setInteger(value).build();
  }

  @Test
  void registeringTheSameTaskAgainSucceedsAndAChangedOneNamesTheField() throws Exception {
    TaskCreateRequest same = TaskCreateRequest.newBuilder().setId(id(ResourceType.TASK, "add", "v1")).setSpec(ADD).build();
    call(AdminServiceGrpcClient.CreateTask, same);

    Refusal changed = refusal(AdminServiceGrpcClient.CreateTask, same.toBuilder()
        .setSpec(ADD.toBuilder().setType("noop")).build());

    assertThat(changed.status()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
    assertThat(changed.message()).contains("spec.type differs");
    assertThat(count("SELECT count(*) FROM tasks WHERE name = 'add'")).isEqualTo(1);
  }

  @Test
  void anIllTypedWorkflowIsRefusedNamingTheNodeAndInputAndWritesNothing() throws Exception {
    WorkflowTemplate illTyped = workflow().toBuilder().setNodes(0, workflow().getNodes(0).toBuilder()
        .setInputs(0, Binding.newBuilder().setVar("a").setBinding(BindingData.newBuilder()
            .setLiteral(Literal.newBuilder().setStringValue("x"))))).build();

    Refusal refusal = refusal(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "bad", "v1")).setSpec(illTyped).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refusal.message()).contains("node n1: input 'a': expected integer, got string");
    assertThat(count("SELECT count(*) FROM workflows WHERE name = 'bad'")).isZero();
  }

  @Test
  void aCachedTaskWithoutACacheVersionIsRefused() throws Exception {
    Refusal refusal = refusal(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "cached", "v1"))
        .setSpec(ADD.toBuilder().setMetadata(TaskMetadata.newBuilder()
            .setCache(CacheConfig.newBuilder().setEnabled(true)))).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refusal.message()).contains("spec.metadata.cache.version is required");
    assertThat(count("SELECT count(*) FROM tasks WHERE name = 'cached'")).isZero();
  }

  @Test
  void aCyclicWorkflowIsRefused() {
    Node n1 = workflow().getNodes(0).toBuilder().addUpstreamNodeIds("n2").build();
    Node n2 = n1.toBuilder().setId("n2").clearUpstreamNodeIds().addUpstreamNodeIds("n1").build();

    Refusal refusal = refusal(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "loop", "v1"))
        .setSpec(workflow().toBuilder().clearNodes().addNodes(n1).addNodes(n2)).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refusal.message()).contains("cycle");
  }

  @Test
  void activatingALaunchPlanVersionDeactivatesTheOthers() throws Exception {
    for (String version : List.of("a1", "a2")) {
      call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
          .setId(id(ResourceType.LAUNCH_PLAN, "toggle", version))
          .setSpec(LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW, "wf", "v1"))).build());
    }
    call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "toggle", "a1")).setState(LaunchPlanState.ACTIVE).build());
    call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "toggle", "a2")).setState(LaunchPlanState.ACTIVE).build());

    assertThat(call(AdminServiceGrpcClient.GetLaunchPlan, ObjectGetRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "toggle", "a1")).build()).getState()).isEqualTo(LaunchPlanState.INACTIVE);
    assertThat(count("SELECT count(*) FROM launch_plans WHERE name = 'toggle' AND state = 1")).isEqualTo(1);
    assertThat(refusal(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "toggle", "nope")).setState(LaunchPlanState.ACTIVE).build())
        .status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void anExecutionIsCreatedOnceByNameAndTheListenerIsTold() throws Exception {
    ExecutionIdentifier id = call(AdminServiceGrpcClient.CreateExecution, execution("once", integer(3)).build()).getId();

    Refusal again = refusal(AdminServiceGrpcClient.CreateExecution, execution("once", integer(3)).build());

    assertThat(again.status()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
    assertThat(again.message()).contains("execution proj/dev/once already exists");
    assertThat(count("SELECT count(*) FROM executions WHERE name = 'once'")).isEqualTo(1);
    assertThat(admin.created).contains(count("SELECT id FROM executions WHERE name = 'once'"));
    Execution execution = call(AdminServiceGrpcClient.GetExecution, ExecutionGetRequest.newBuilder().setId(id).build());
    assertThat(execution.getSpec().getMaxParallelism()).isEqualTo(AdminOptions.DEFAULT_MAX_PARALLELISM);
    assertThat(execution.getSpec().getWorkflow().getName()).isEqualTo("wf");
  }

  @Test
  void badInputsAreRefusedWithoutARow() throws Exception {
    Refusal wrongType = refusal(AdminServiceGrpcClient.CreateExecution,
        execution("wrong-type", Literal.newBuilder().setStringValue("3").build()).build());
    Refusal missing = refusal(AdminServiceGrpcClient.CreateExecution,
        execution("missing", integer(1)).setInputs(LiteralMap.getDefaultInstance()).build());
    Refusal unknownPlan = refusal(AdminServiceGrpcClient.CreateExecution, execution("no-plan", integer(1))
        .setLaunchPlan(id(ResourceType.LAUNCH_PLAN, "ghost", "v1")).build());
    Refusal badName = refusal(AdminServiceGrpcClient.CreateExecution, execution("Bad Name", integer(1)).build());

    assertThat(wrongType).isEqualTo(new Refusal(GrpcStatus.INVALID_ARGUMENT, "input 'x': expected integer, got string"));
    assertThat(missing).isEqualTo(new Refusal(GrpcStatus.INVALID_ARGUMENT, "input 'x' is required"));
    assertThat(unknownPlan.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(badName.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(badName.message()).contains("name must be 1-63 characters");
    assertThat(count("SELECT count(*) FROM executions WHERE name IN ('wrong-type', 'missing', 'no-plan')")).isZero();
  }

  @Test
  void terminatingAFinishedExecutionIsAFailedPrecondition() throws Exception {
    ExecutionIdentifier id = call(AdminServiceGrpcClient.CreateExecution, execution("finished", integer(1)).build()).getId();
    admin.commit("UPDATE executions SET phase = 4 WHERE name = 'finished'");

    Refusal refusal = refusal(AdminServiceGrpcClient.TerminateExecution,
        ExecutionTerminateRequest.newBuilder().setId(id).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(refusal.message()).contains("already finished (SUCCEEDED)");
  }

  @Test
  void terminatingARunningExecutionRecordsTheRequestAndTellsTheListener() throws Exception {
    ExecutionIdentifier id = call(AdminServiceGrpcClient.CreateExecution, execution("to-stop", integer(1)).build()).getId();

    call(AdminServiceGrpcClient.TerminateExecution, ExecutionTerminateRequest.newBuilder().setId(id).setCause("enough").build());
    call(AdminServiceGrpcClient.TerminateExecution, ExecutionTerminateRequest.newBuilder().setId(id).build());

    Execution execution = call(AdminServiceGrpcClient.GetExecution, ExecutionGetRequest.newBuilder().setId(id).build());
    assertThat(execution.getClosure().getAbortCause()).isEqualTo("enough");
    assertThat(admin.aborted).containsOnlyOnce(count("SELECT id FROM executions WHERE name = 'to-stop'"));
  }

  @Test
  void aRelaunchIsANewExecutionWithTheSameInputsThatPointsAtTheFirst() {
    ExecutionIdentifier first = call(AdminServiceGrpcClient.CreateExecution, execution("first", integer(41)).build()).getId();

    ExecutionIdentifier second = call(AdminServiceGrpcClient.RelaunchExecution,
        ExecutionRelaunchRequest.newBuilder().setId(first).setName("second").build()).getId();

    Execution relaunched = call(AdminServiceGrpcClient.GetExecution, ExecutionGetRequest.newBuilder().setId(second).build());
    assertThat(relaunched.getSpec().getMode()).isEqualTo(ExecutionSpec.Mode.RELAUNCH);
    assertThat(relaunched.getSpec().getReferenceExecution()).isEqualTo(first);
    assertThat(call(AdminServiceGrpcClient.GetExecutionData, ExecutionGetDataRequest.newBuilder().setId(second).build())
        .getInputs().getLiteralsOrThrow("x")).isEqualTo(integer(41));
  }

  @Test
  void listsFilterByPhaseWhetherOrNotEveryPhaseAskedForIsActive() throws Exception {
    for (String name : List.of("ph-queued", "ph-running", "ph-succeeded", "ph-failed")) {
      call(AdminServiceGrpcClient.CreateExecution, execution(name, integer(1)).build());
    }
    admin.commit("UPDATE executions SET phase = 2 WHERE name = 'ph-running'",
        "UPDATE executions SET phase = 4 WHERE name = 'ph-succeeded'",
        "UPDATE executions SET phase = 6 WHERE name = 'ph-failed'");
    ExecutionListRequest all = ExecutionListRequest.newBuilder().setProject("proj").setDomain("dev")
        .setLimit(100).build();

    List<String> active = names(call(AdminServiceGrpcClient.ListExecutions, all.toBuilder()
        .addPhases(WorkflowExecution.Phase.QUEUED).addPhases(WorkflowExecution.Phase.RUNNING).build()));
    List<String> mixed = names(call(AdminServiceGrpcClient.ListExecutions, all.toBuilder()
        .addPhases(WorkflowExecution.Phase.RUNNING).addPhases(WorkflowExecution.Phase.SUCCEEDED).build()));

    assertThat(active).contains("ph-queued", "ph-running").doesNotContain("ph-succeeded", "ph-failed");
    assertThat(mixed).contains("ph-running", "ph-succeeded").doesNotContain("ph-queued", "ph-failed");
  }

  private static List<String> names(ExecutionList list) {
    return list.getExecutionsList().stream().map(e -> e.getId().getName()).toList();
  }

  @Test
  void listsArePagedNewestFirst() {
    for (int i = 0; i < 5; i++) {
      call(AdminServiceGrpcClient.CreateExecution, execution("page-" + i, integer(i)).build());
    }
    ExecutionListRequest first = ExecutionListRequest.newBuilder().setProject("proj").setDomain("dev").setLimit(2).build();

    ExecutionList page1 = call(AdminServiceGrpcClient.ListExecutions, first);
    ExecutionList page2 = call(AdminServiceGrpcClient.ListExecutions, first.toBuilder().setToken(page1.getNextToken()).build());

    assertThat(page1.getExecutionsList()).hasSize(2);
    assertThat(page2.getExecutions(0).getId().getName()).isNotEqualTo(page1.getExecutions(1).getId().getName());
    assertThat(refusal(AdminServiceGrpcClient.ListExecutions, first.toBuilder().setToken("garbage!").build()).status())
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    TaskList tasks = call(AdminServiceGrpcClient.ListTasks, ResourceListRequest.newBuilder().setProject("proj").setDomain("dev").build());
    assertThat(tasks.getTasksList()).extracting(task -> task.getId().getName()).contains("add");
  }

  @Test
  void malformedAndOversizedRequestsAreRefused() throws Exception {
    Refusal noVersion = refusal(AdminServiceGrpcClient.GetTask, ObjectGetRequest.newBuilder()
        .setId(id(ResourceType.TASK, "add", "")).build());
    Refusal unknown = refusal(AdminServiceGrpcClient.GetTask, ObjectGetRequest.newBuilder()
        .setId(id(ResourceType.TASK, "nope", "v1")).build());
    assertThat(noVersion.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(noVersion.message()).contains("id.version");
    assertThat(unknown).isEqualTo(new Refusal(GrpcStatus.NOT_FOUND, "task proj/dev/nope@v1 not found"));

    ExecutionCreateRequest huge = execution("huge", Literal.newBuilder()
        .setBinary(ByteString.copyFrom(new byte[MAX_MESSAGE_BYTES * 2])).build()).build();
    assertThat(refusal(AdminServiceGrpcClient.CreateExecution, huge).status())
        .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(count("SELECT count(*) FROM executions WHERE name = 'huge'")).isZero();
  }
}
