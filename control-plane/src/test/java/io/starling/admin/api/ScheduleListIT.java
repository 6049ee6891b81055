package io.starling.admin.api;

import static io.starling.admin.api.AdminServer.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.ScheduleEntry;
import io.starling.proto.admin.ScheduleList;
import io.starling.proto.admin.ScheduleListRequest;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.Schedule;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ListSchedules on an admin whose clock stands still at 12:30: the active versions that have a
 * schedule, each with its next slots after the admin's now and the last slot its name fired.
 */
class ScheduleListIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:30:00Z");
  private static AdminServer admin;

  @BeforeAll
  static void start() {
    admin = new AdminServer(Clock.fixed(NOW, ZoneOffset.UTC));
    register("hourly", "v1", Schedule.newBuilder().setCronExpression("0 * * * *"));
    register("every-5m", "v1", Schedule.newBuilder()
        .setRate(FixedRate.newBuilder().setValue(5).setUnit(FixedRate.Unit.MINUTE)));
    register("nightly", "v1", Schedule.newBuilder().setCronExpression("0 3 * * *"));
    register("stopped", "v1", Schedule.newBuilder().setCronExpression("@daily"));
    activate("hourly", LaunchPlanState.ACTIVE);
    activate("every-5m", LaunchPlanState.ACTIVE);
    activate("nightly", LaunchPlanState.ACTIVE);
    activate("stopped", LaunchPlanState.ACTIVE);
    activate("stopped", LaunchPlanState.INACTIVE);
    activate("pair", LaunchPlanState.ACTIVE);
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  @Test
  void listsActiveSchedulesByNameWithTheirNextSlotsAfterTheAdminsNow() {
    ScheduleList list = list(ScheduleListRequest.newBuilder().setSlots(3));

    assertThat(list.getSchedulesList()).extracting(entry -> entry.getLaunchPlan().getId()
        .getName()).as("no inactive version, no plan without a schedule")
        .containsExactly("every-5m", "hourly", "nightly");
    assertThat(slots(list.getSchedules(0))).as("a fixed rate, from its activation")
        .containsExactly("2026-03-01T12:35:00Z", "2026-03-01T12:40:00Z", "2026-03-01T12:45:00Z");
    assertThat(slots(list.getSchedules(1))).as("a cron expression")
        .containsExactly("2026-03-01T13:00:00Z", "2026-03-01T14:00:00Z", "2026-03-01T15:00:00Z");
    assertThat(list.getSchedules(2).getLaunchPlan().getState()).isEqualTo(LaunchPlanState.ACTIVE);
    assertThat(list.getNextToken()).isEmpty();
  }

  @Test
  void noSlotCountMeansOneAndMoreThanAHundredIsRefusedNamingTheLimit() {
    ScheduleList one = list(ScheduleListRequest.newBuilder());
    Refusal tooMany = admin.refusal(AdminServiceGrpcClient.ListSchedules,
        request(ScheduleListRequest.newBuilder().setSlots(101)));
    Refusal negative = admin.refusal(AdminServiceGrpcClient.ListSchedules,
        request(ScheduleListRequest.newBuilder().setSlots(-1)));

    assertThat(slots(one.getSchedules(2))).containsExactly("2026-03-02T03:00:00Z");
    assertThat(tooMany.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(tooMany.message()).isEqualTo("slots must be between 0 and 100, got 101");
    assertThat(negative.message()).startsWith("slots must be between 0 and 100, got 4294967295");
  }

  @Test
  void pagesFollowTheTokenToTheEnd() {
    List<String> names = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String token = "";
    do {
      ScheduleList page = list(ScheduleListRequest.newBuilder().setLimit(2).setToken(token));
      page.getSchedulesList().forEach(entry -> names.add(entry.getLaunchPlan().getId().getName()));
      sizes.add(page.getSchedulesCount());
      token = page.getNextToken();
    } while (!token.isEmpty());
    Refusal badToken = admin.refusal(AdminServiceGrpcClient.ListSchedules,
        request(ScheduleListRequest.newBuilder().setToken("nope")));

    assertThat(names).containsExactly("every-5m", "hourly", "nightly");
    assertThat(sizes).containsExactly(2, 1);
    assertThat(badToken.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void reportsTheNewestSlotItsNameFired() {
    for (String slot : new String[] {"2026-03-01T12:25:00Z", "2026-03-01T12:15:00Z"}) {
      admin.admin.executions().createScheduled(id(ResourceType.LAUNCH_PLAN, "every-5m", "v1"),
          "every-5m-" + slot.substring(11, 13) + slot.substring(14, 16), Instant.parse(slot))
          .await();
    }

    ScheduleList list = list(ScheduleListRequest.newBuilder());

    assertThat(Timestamps.toString(list.getSchedules(0).getLastScheduledAt()))
        .isEqualTo("2026-03-01T12:25:00Z");
    assertThat(list.getSchedules(1).hasLastScheduledAt()).as("hourly never fired").isFalse();
  }

  private static void register(String name, String version, Schedule.Builder schedule) {
    admin.call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, name, version))
        .setSpec(LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW, "pair", "v1"))
            .setDefaultInputs(LiteralMap.newBuilder()
                .putLiterals("x", Literal.newBuilder().setInteger(1).build()))
            .setSchedule(schedule))
        .build());
  }

  private static void activate(String name, LaunchPlanState state) {
    admin.call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, name, "v1")).setState(state).build());
  }

  private static ScheduleListRequest request(ScheduleListRequest.Builder request) {
    return request.setProject("proj").setDomain("dev").build();
  }

  private static ScheduleList list(ScheduleListRequest.Builder request) {
    return admin.call(AdminServiceGrpcClient.ListSchedules, request(request));
  }

  private static List<String> slots(ScheduleEntry entry) {
    return entry.getNextSlotsList().stream().map(Timestamps::toString).toList();
  }
}
