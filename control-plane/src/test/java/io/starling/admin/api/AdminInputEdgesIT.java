package io.starling.admin.api;

import static io.starling.admin.api.AdminGrpcIT.ADD;
import static io.starling.admin.api.AdminGrpcIT.id;
import static io.starling.admin.api.AdminGrpcIT.integer;
import static io.starling.admin.api.AdminGrpcIT.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.DurationText;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.NodeExecutionGetRequest;
import io.starling.proto.admin.NodeExecutionList;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.TaskExecutionListRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.CacheStatus;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecutionIdentifier;
import io.starling.proto.core.NodeMetadata;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.Schedule;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.TaskTemplate;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What clients of other languages send that Java reads differently: unsigned fields of 2^31 or
 * more (a client's -1), page tokens that are not tokens, values far longer than a name.
 */
class AdminInputEdgesIT {

  /** What a client's -1 in a uint32 field arrives as in Java. */
  private static final int MINUS_ONE_AS_UINT32 = -1;
  /** 2147483648 in a uint32 field. */
  private static final int TWO_TO_THE_31 = Integer.MIN_VALUE;

  private static AdminServer admin;

  @BeforeAll
  static void start() {
    admin = new AdminServer();
    admin.call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "add", "v1")).setSpec(ADD).build());
    admin.call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "wf", "v1")).setSpec(workflow()).build());
    admin.call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "wf", "v1"))
        .setSpec(LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW, "wf", "v1")))
        .build());
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static ExecutionCreateRequest.Builder execution(String name) {
    return ExecutionCreateRequest.newBuilder().setProject("proj").setDomain("dev").setName(name)
        .setLaunchPlan(id(ResourceType.LAUNCH_PLAN, "wf", "v1"))
        .setInputs(LiteralMap.newBuilder().putLiterals("x", integer(1)));
  }

  @Test
  void aMaxParallelismOfTwoToThe31OrMoreIsRefusedWithTheRangeAndWritesNothing() throws Exception {
    Refusal minusOne = admin.refusal(AdminServiceGrpcClient.CreateExecution,
        execution("minus-one").setMaxParallelism(MINUS_ONE_AS_UINT32).build());
    Refusal big = admin.refusal(AdminServiceGrpcClient.CreateExecution,
        execution("big").setMaxParallelism(TWO_TO_THE_31).build());

    assertThat(minusOne.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(minusOne.message()).isEqualTo("max_parallelism must be between 0 and 2147483647,"
        + " got 4294967295 (is it a negative number sent as unsigned?)");
    assertThat(big.message()).contains("got 2147483648");
    assertThat(admin.count("SELECT count(*) FROM executions WHERE name IN ('minus-one', 'big')"))
        .isZero();
  }

  @Test
  void aScheduleInAnUnknownZoneOrThatNeverFiresIsRefusedAndWritesNothing() throws Exception {
    LaunchPlanSpec.Builder spec = LaunchPlanSpec.newBuilder()
        .setWorkflowId(id(ResourceType.WORKFLOW, "wf", "v1"));

    Refusal zone = admin.refusal(AdminServiceGrpcClient.CreateLaunchPlan,
        LaunchPlanCreateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "mars", "v1"))
            .setSpec(spec.clone().setSchedule(Schedule.newBuilder().setCronExpression("@daily")
                .setTimeZone("Mars/Olympus"))).build());
    Refusal never = admin.refusal(AdminServiceGrpcClient.CreateLaunchPlan,
        LaunchPlanCreateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "never", "v1"))
            .setSpec(spec.clone().setSchedule(Schedule.newBuilder()
                .setCronExpression("0 0 30 2 *"))).build());

    assertThat(zone.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(zone.message()).startsWith("spec.schedule.time_zone 'Mars/Olympus' is not an IANA"
        + " time zone");
    assertThat(never.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(never.message())
        .isEqualTo("spec.schedule.cron_expression '0 0 30 2 *' never fires (no such date)");
    assertThat(admin.count("SELECT count(*) FROM launch_plans WHERE name IN ('mars', 'never')"))
        .isZero();
  }

  @Test
  void aLaunchPlanWithSuchAMaxParallelismOrRateIsRefused() throws Exception {
    LaunchPlanSpec.Builder spec = LaunchPlanSpec.newBuilder()
        .setWorkflowId(id(ResourceType.WORKFLOW, "wf", "v1"));

    Refusal parallelism = admin.refusal(AdminServiceGrpcClient.CreateLaunchPlan,
        LaunchPlanCreateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "wide", "v1"))
            .setSpec(spec.clone().setMaxParallelism(MINUS_ONE_AS_UINT32)).build());
    Refusal rate = admin.refusal(AdminServiceGrpcClient.CreateLaunchPlan,
        LaunchPlanCreateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "often", "v1"))
            .setSpec(spec.clone().setSchedule(Schedule.newBuilder()
                .setRate(FixedRate.newBuilder().setValue(MINUS_ONE_AS_UINT32)))).build());

    assertThat(parallelism.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(parallelism.message()).contains("spec.max_parallelism must be between 0 and",
        "got 4294967295");
    assertThat(rate.message()).contains("spec.schedule.rate.value must be between 1 and",
        "got 4294967295");
    assertThat(admin.count("SELECT count(*) FROM launch_plans WHERE name IN ('wide', 'often')"))
        .isZero();
  }

  @Test
  void retriesOfTwoToThe31OrMoreAreRefusedForTasksAndNodeOverrides() throws Exception {
    Refusal task = admin.refusal(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "stubborn", "v1"))
        .setSpec(ADD.toBuilder().setMetadata(TaskMetadata.newBuilder()
            .setRetries(RetryStrategy.newBuilder().setRetries(MINUS_ONE_AS_UINT32)))).build());
    Refusal node = admin.refusal(AdminServiceGrpcClient.CreateWorkflow,
        WorkflowCreateRequest.newBuilder().setId(id(ResourceType.WORKFLOW, "stubborn", "v1"))
            .setSpec(workflow().toBuilder().setNodes(0, workflow().getNodes(0).toBuilder()
                .setMetadata(NodeMetadata.newBuilder().setRetries(TWO_TO_THE_31)))).build());

    assertThat(task.message()).contains("spec.metadata.retries.retries must be between 0 and 100",
        "got 4294967295");
    assertThat(node.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(node.message()).contains("node n1: metadata.retries must be between 0 and 100",
        "got 2147483648");
  }

  @Test
  void aListLimitOfTwoToThe31OrMoreIsRefusedAsTheClientSentIt() {
    Refusal refusal = admin.refusal(AdminServiceGrpcClient.ListExecutions,
        ExecutionListRequest.newBuilder().setProject("proj").setDomain("dev")
            .setLimit(MINUS_ONE_AS_UINT32).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refusal.message()).contains("limit must be between 0 and", "got 4294967295");
  }

  @Test
  void nodeAndAttemptListsRefuseTokensThatAreNotTheirs() {
    ExecutionIdentifier id = admin.launch("tokens", 1);
    for (String token : new String[] {"garbage!!", "AAAA", "5"}) {
      Refusal nodes = admin.refusal(AdminServiceGrpcClient.ListNodeExecutions,
          NodeExecutionListRequest.newBuilder().setExecutionId(id).setToken(token).build());
      Refusal attempts = admin.refusal(AdminServiceGrpcClient.ListTaskExecutions,
          TaskExecutionListRequest.newBuilder().setNodeExecutionId(NodeExecutionIdentifier
              .newBuilder().setExecutionId(id).setNodeId("n1")).setToken(token).build());

      assertThat(nodes.status()).as(token).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(nodes.message()).isEqualTo("token '" + token + "' is not a token from a previous page");
      assertThat(attempts.status()).as(token).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    }
  }

  @Test
  void nodePagesFollowTheirTokens() throws Exception {
    ExecutionIdentifier id = admin.launch("paged", 1);
    long row = admin.rowId(id);
    for (String node : new String[] {"a", "b", "c"}) {
      admin.commit("INSERT INTO node_executions (execution_id, node_id, phase, attempts, version,"
          + " updated_at) VALUES (" + row + ", '" + node + "', 3, 1, 1, now())");
    }

    NodeExecutionList first = admin.call(AdminServiceGrpcClient.ListNodeExecutions,
        NodeExecutionListRequest.newBuilder().setExecutionId(id).setLimit(2).build());
    NodeExecutionList second = admin.call(AdminServiceGrpcClient.ListNodeExecutions,
        NodeExecutionListRequest.newBuilder().setExecutionId(id).setLimit(2)
            .setToken(first.getNextToken()).build());

    assertThat(first.getNodeExecutionsList()).extracting(n -> n.getId().getNodeId())
        .containsExactly("a", "b");
    assertThat(second.getNodeExecutionsList()).extracting(n -> n.getId().getNodeId())
        .containsExactly("c");
    assertThat(second.getNextToken()).isEmpty();
  }

  @Test
  void oneNodeIsReadByItsIdAndANodeThatHasNotStartedIsNotFound() throws Exception {
    ExecutionIdentifier id = admin.launch("one-node", 1);
    admin.commit("INSERT INTO node_executions (execution_id, node_id, phase, attempts, version,"
        + " updated_at, cache_status) VALUES (" + admin.rowId(id) + ", 'b', 3, 2, 1, now(), 2)");
    NodeExecutionIdentifier.Builder node = NodeExecutionIdentifier.newBuilder().setExecutionId(id);

    NodeExecutionRecord found = admin.call(AdminServiceGrpcClient.GetNodeExecution,
        NodeExecutionGetRequest.newBuilder().setId(node.clone().setNodeId("b")).build());
    Refusal absent = admin.refusal(AdminServiceGrpcClient.GetNodeExecution,
        NodeExecutionGetRequest.newBuilder().setId(node.clone().setNodeId("c")).build());
    Refusal unnamed = admin.refusal(AdminServiceGrpcClient.GetNodeExecution,
        NodeExecutionGetRequest.newBuilder().setId(node).build());

    assertThat(found.getId().getNodeId()).isEqualTo("b");
    assertThat(found.getAttempts()).isEqualTo(2);
    assertThat(found.getCacheStatus()).isEqualTo(CacheStatus.CACHE_HIT);
    assertThat(absent.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(absent.message()).isEqualTo("execution proj/dev/one-node has no node 'c' that has"
        + " started");
    assertThat(unnamed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(unnamed.message()).isEqualTo("id.node_id is required");
  }

  @Test
  void aSleepTaskIsCheckedAtRegistrationNamingTheTaskAndKey() throws Exception {
    TaskCreateRequest.Builder sleep = TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "wait", "v1"));
    Refusal refusal = admin.refusal(AdminServiceGrpcClient.CreateTask, sleep.clone()
        .setSpec(TaskTemplate.newBuilder().setType("sleep").setConfig(duration("2x"))).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refusal.message()).isEqualTo("task proj/dev/wait@v1: spec.config.duration '2x' is"
        + " not a duration; expected " + DurationText.FORMS);
    assertThat(admin.count("SELECT count(*) FROM tasks WHERE name = 'wait'")).isZero();
    for (String form : new String[] {"2s", "500ms", "1m", "PT2S"}) {
      admin.call(AdminServiceGrpcClient.CreateTask, sleep.clone()
          .setId(id(ResourceType.TASK, "wait-" + form.toLowerCase(), "v1"))
          .setSpec(TaskTemplate.newBuilder().setType("sleep").setConfig(duration(form))).build());
    }
  }

  private static Struct duration(String text) {
    return Struct.newBuilder().putFields("duration", Value.newBuilder().setStringValue(text).build())
        .build();
  }

  @Test
  void aHugeValueIsCutInTheMessage() {
    String version = "v".repeat(10_000);

    Refusal refusal = admin.refusal(AdminServiceGrpcClient.CreateTask, TaskCreateRequest
        .newBuilder().setId(id(ResourceType.TASK, "add", version)).setSpec(ADD).build());

    assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refusal.message()).hasSizeLessThan(200).contains("(10000 characters)");
  }
}
