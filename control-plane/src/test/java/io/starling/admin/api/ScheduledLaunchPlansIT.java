package io.starling.admin.api;

import static io.starling.admin.api.AdminGrpcIT.ADD;
import static io.starling.admin.api.AdminGrpcIT.id;
import static io.starling.admin.api.AdminGrpcIT.integer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.admin.ActiveLaunchPlanListRequest;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanList;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.Schedule;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Launch plans with schedules: what registration refuses (saying which field and why, writing
 * nothing), and what activation records for the scheduler.
 */
class ScheduledLaunchPlansIT {

  private static AdminServer admin;

  @BeforeAll
  static void start() {
    admin = new AdminServer();
    admin.call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "add", "v1")).setSpec(ADD).build());
    Variable datetime = Variable.newBuilder()
        .setType(LiteralType.newBuilder().setSimple(SimpleType.DATETIME)).build();
    Variable integer = Variable.newBuilder()
        .setType(LiteralType.newBuilder().setSimple(SimpleType.INTEGER)).build();
    admin.call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "timed", "v1")).setSpec(WorkflowTemplate.newBuilder()
            .setInterface(TypedInterface.newBuilder().putInputs("x", integer)
                .putInputs("at", datetime))
            .addNodes(Node.newBuilder().setId("n1").setTaskNode(TaskNode.newBuilder()
                    .setTaskId(id(ResourceType.TASK, "add", "v1")))
                .addInputs(Binding.newBuilder().setVar("a")
                    .setBinding(BindingData.newBuilder().setWorkflowInput("x"))))).build());
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static LaunchPlanSpec.Builder spec(Schedule.Builder schedule) {
    return LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW, "timed", "v1"))
        .setDefaultInputs(LiteralMap.newBuilder().putLiterals("x", integer(1)))
        .setSchedule(schedule);
  }

  private static Refusal refused(String name, LaunchPlanSpec.Builder spec) {
    return admin.refusal(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest
        .newBuilder().setId(id(ResourceType.LAUNCH_PLAN, name, "v1")).setSpec(spec).build());
  }

  @Test
  void aScheduleThatCannotFireIsRefusedSayingWhichFieldAndWhyAndWritesNothing()
      throws Exception {
    Schedule.Builder daily = Schedule.newBuilder().setCronExpression("@daily");
    Refusal cron = refused("bad-cron", spec(Schedule.newBuilder().setCronExpression("61 * * * *")));
    Refusal zeroRate = refused("zero-rate", spec(Schedule.newBuilder()
        .setRate(FixedRate.newBuilder().setValue(0).setUnit(FixedRate.Unit.HOUR))));
    Refusal zone = refused("bad-zone", spec(daily.clone().setTimeZone("Europe/Atlantis")));
    Refusal kickoff = refused("no-kickoff", spec(daily.clone().setKickoffTimeInputArg("when")));
    Refusal notATime = refused("int-kickoff", spec(daily.clone().setKickoffTimeInputArg("x")));
    Refusal unbound = refused("unbound", spec(daily.clone().setKickoffTimeInputArg("at"))
        .clearDefaultInputs());
    Refusal fixedKickoff = refused("fixed-kickoff", spec(daily.clone())
        .setFixedInputs(LiteralMap.newBuilder().putLiterals("at",
            Literal.newBuilder().setDatetime(Timestamp.getDefaultInstance()).build()))
        .setSchedule(daily.clone().setKickoffTimeInputArg("at")));
    Refusal window = refused("bad-window", spec(daily.clone().setKickoffTimeInputArg("at")
        .setCatchUpWindow(Duration.newBuilder().setSeconds(-60))));

    assertThat(cron.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(cron.message()).startsWith("spec.schedule.cron_expression '61 * * * *'");
    assertThat(zeroRate.message()).startsWith("spec.schedule.rate.value must be between 1 and");
    assertThat(zone.message()).startsWith("spec.schedule.time_zone 'Europe/Atlantis' is not an"
        + " IANA time zone");
    assertThat(kickoff.message()).isEqualTo("spec.schedule.kickoff_time_input_arg 'when' must"
        + " name a datetime input of the workflow");
    assertThat(notATime.message()).isEqualTo("spec.schedule.kickoff_time_input_arg 'x' must name"
        + " a datetime input of the workflow");
    assertThat(unbound.message()).isEqualTo("spec.schedule: the workflow's input 'x' has no"
        + " fixed or default value, and a scheduled execution is given none");
    assertThat(fixedKickoff.message()).isEqualTo("spec.schedule.kickoff_time_input_arg 'at' is a"
        + " fixed input; the schedule sets it to each slot's time");
    assertThat(window.message()).isEqualTo("spec.schedule.catch_up_window must be positive and"
        + " at most 3660 days, got PT-1M");
    for (Refusal refusal : new Refusal[] {zeroRate, zone, kickoff, notATime, unbound,
        fixedKickoff, window}) {
      assertThat(refusal.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    }
    assertThat(admin.count("SELECT count(*) FROM launch_plans WHERE name IN ('bad-cron',"
        + " 'zero-rate', 'bad-zone', 'no-kickoff', 'int-kickoff', 'unbound', 'fixed-kickoff',"
        + " 'bad-window')")).isZero();
  }

  @Test
  void activatingAVersionPlacesItsScheduleAndDeactivatesTheOthers() throws Exception {
    for (String version : new String[] {"v1", "v2"}) {
      admin.call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
          .setId(id(ResourceType.LAUNCH_PLAN, "nightly", version))
          .setSpec(spec(Schedule.newBuilder().setCronExpression("0 3 * * *")
              .setKickoffTimeInputArg("at"))).build());
    }

    update("v1", LaunchPlanState.ACTIVE);
    LaunchPlan first = get("v1");
    update("v1", LaunchPlanState.ACTIVE);
    assertThat(get("v1").getActivatedAt()).as("activating the active version changes nothing")
        .isEqualTo(first.getActivatedAt());
    update("v2", LaunchPlanState.ACTIVE);

    assertThat(get("v1").getState()).isEqualTo(LaunchPlanState.INACTIVE);
    assertThat(get("v2").getState()).isEqualTo(LaunchPlanState.ACTIVE);
    LaunchPlanList active = admin.call(AdminServiceGrpcClient.ListActiveLaunchPlans,
        ActiveLaunchPlanListRequest.newBuilder().setProject("proj").setDomain("dev").build());
    assertThat(active.getLaunchPlansList()).extracting(plan -> plan.getId().getVersion())
        .containsExactly("v2");
    assertThat(admin.count("SELECT count(DISTINCT schedule_shard) FROM launch_plans"
        + " WHERE name = 'nightly'")).as("every version of a name on one shard").isEqualTo(1);
    assertThat(admin.count("SELECT sum(changes) FROM schedule_shards s JOIN launch_plans lp"
        + " ON lp.schedule_shard = s.shard WHERE lp.name = 'nightly' AND lp.version = 'v2'"))
        .isEqualTo(3);

    Refusal state = admin.refusal(AdminServiceGrpcClient.UpdateLaunchPlan,
        LaunchPlanUpdateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "nightly", "v2"))
            .setStateValue(7).build());
    Refusal missing = admin.refusal(AdminServiceGrpcClient.UpdateLaunchPlan,
        LaunchPlanUpdateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "nightly", "v9"))
            .setState(LaunchPlanState.ACTIVE).build());
    assertThat(state.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(state.message()).isEqualTo("state must be ACTIVE or INACTIVE, got UNRECOGNIZED");
    assertThat(missing.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(get("v2").getState()).isEqualTo(LaunchPlanState.ACTIVE);
  }

  @Test
  void activationsOfOneNameAtOnceLeaveExactlyOneVersionActive() throws Exception {
    for (int v = 1; v <= 4; v++) {
      admin.call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
          .setId(id(ResourceType.LAUNCH_PLAN, "racing", "v" + v))
          .setSpec(spec(Schedule.newBuilder().setCronExpression("@hourly")
              .setKickoffTimeInputArg("at"))).build());
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors
        .newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> activations = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String version = "v" + (1 + i % 4);
      activations.add(pool.submit(() -> admin.call(AdminServiceGrpcClient.UpdateLaunchPlan,
          LaunchPlanUpdateRequest.newBuilder()
              .setId(id(ResourceType.LAUNCH_PLAN, "racing", version))
              .setState(LaunchPlanState.ACTIVE).build())));
    }
    for (java.util.concurrent.Future<?> activation : activations) {
      activation.get();
    }
    pool.shutdown();
    assertThat(admin.count("SELECT count(*) FROM launch_plans WHERE name = 'racing'"
        + " AND state = 1")).isEqualTo(1);
  }

  private static void update(String version, LaunchPlanState state) {
    admin.call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "nightly", version)).setState(state).build());
  }

  private static LaunchPlan get(String version) {
    return admin.call(AdminServiceGrpcClient.GetLaunchPlan, ObjectGetRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "nightly", version)).build());
  }
}
