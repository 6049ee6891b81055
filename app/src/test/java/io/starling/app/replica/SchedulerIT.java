package io.starling.app.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.starling.admin.Admin;
import io.starling.admin.AdminOptions;
import io.starling.admin.ExecutionListener;
import io.starling.admin.store.ExecutionRecord;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.Schedule;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import io.starling.scheduler.ExecutionNames;
import io.starling.scheduler.Scheduler;
import io.starling.scheduler.SchedulerOptions;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.RealTime;
import io.starling.schema.TestDatabases;
import io.starling.time.ManualTimeSource;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler with the admin of its process on PostgreSQL, on manual clocks: a crash and an
 * hour without any scheduler, a version replaced by another, a version deactivated.
 */
@Timeout(120)
class SchedulerIT {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Variable DATETIME = Variable.newBuilder()
      .setType(LiteralType.newBuilder().setSimple(SimpleType.DATETIME)).build();
  private static final List<Integer> ALL_SHARDS =
      IntStream.range(0, AdminOptions.DEFAULT_SHARD_COUNT).boxed().toList();

  private DatabaseOptions database;
  private Vertx vertx;
  private Pool pool;
  private final List<Process> processes = new ArrayList<>();

  /** One scheduler and its admin, as one replica runs them, on a clock of its own. */
  private final class Process {
    final ManualTimeSource time;
    final PrometheusRegistry metrics = new PrometheusRegistry();
    final Admin admin;
    final Scheduler scheduler;

    Process(Instant start, String replica, Duration snapshotInterval) {
      time = new ManualTimeSource(start);
      admin = Admin.create(vertx, pool, new AdminOptions(), ExecutionListener.NONE, time.clock(),
          metrics);
      scheduler = new Scheduler(vertx, pool, new AdminLauncher(admin.executions()),
          new SchedulerOptions().snapshotInterval(snapshotInterval).replicaId(replica), time,
          metrics);
      processes.add(this);
    }

    /** Starts it and takes every shard, as a sandbox's member owns every partition. */
    Process start() throws Exception {
      scheduler.start();
      scheduler.assign(ALL_SHARDS).await();
      RealTime.await("every shard loaded", WAIT, () -> scheduler.owned().size() == ALL_SHARDS.size());
      return this;
    }

    /** Moves its clock on a minute at a time, each time until {@code executions} exist. */
    void minutes(int count, int executionsAfterwards) throws Exception {
      int before = executions().size();
      for (int minute = 1; minute <= count; minute++) {
        time.advance(Duration.ofMinutes(1));
        int expected = Math.min(before + minute, executionsAfterwards);
        RealTime.await(expected + " executions", WAIT, () -> executions().size() >= expected);
      }
    }

    double counter(String name, String label, String value) {
      for (MetricSnapshot snapshot : metrics.scrape()) {
        if (snapshot instanceof CounterSnapshot counter
            && (counter.getMetadata().getPrometheusName() + "_total").equals(name)) {
          return counter.getDataPoints().stream()
              .filter(point -> label == null || value.equals(point.getLabels().get(label)))
              .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
        }
      }
      return 0;
    }

    double schedules() {
      for (MetricSnapshot snapshot : metrics.scrape()) {
        if (snapshot instanceof GaugeSnapshot gauge
            && gauge.getMetadata().getPrometheusName().equals("starling_scheduler_schedules")) {
          return gauge.getDataPoints().get(0).getValue();
        }
      }
      throw new AssertionError("no schedules gauge");
    }
  }

  @BeforeEach
  void start() {
    database = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, database);
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void afterACrashAndAnHourWithoutASchedulerEveryMissedSlotFiresOnceInOrder() throws Exception {
    Process first = new Process(T0, "first", Duration.ofSeconds(270));
    register(first, "hourly-report", "v1", rate(1));
    activate(first, "hourly-report", "v1");
    first.start();

    first.minutes(7, 7);
    awaitSnapshot();
    first.time.advance(Duration.ofSeconds(30));
    // The first process dies here: no final snapshot, its leases never released. Its last
    // snapshot (at 4.5 minutes) knows slots 1-4; it fired 5-7 after it.

    Process second = new Process(T0.plus(Duration.ofMinutes(67)).plusSeconds(30), "second",
        Duration.ofSeconds(10)).start();
    RealTime.await("the missed hour caught up", WAIT, () -> executions().size() == 67);

    List<Instant> expected = IntStream.rangeClosed(1, 67)
        .mapToObj(minute -> T0.plus(Duration.ofMinutes(minute))).toList();
    assertThat(executions()).containsExactlyElementsOf(expected);
    assertThat(second.counter("starling_scheduler_fires_total", "outcome", "existed"))
        .as("slots 5-7, fired after the last snapshot").isEqualTo(3);
    assertThat(second.counter("starling_scheduler_fires_total", "outcome", "created")).isEqualTo(60);
    assertThat(second.counter("starling_scheduler_caught_up_total", null, null)).isEqualTo(63);

    second.minutes(1, 68);
    assertThat(executions()).hasSize(68).endsWith(T0.plus(Duration.ofMinutes(68)));

    Identifier plan = planId("hourly-report", "v1");
    Instant slot = T0.plus(Duration.ofMinutes(30));
    ExecutionRecord record = second.admin.executions().get(ExecutionIdentifier.newBuilder()
        .setProject("p").setDomain("d").setName(ExecutionNames.of(plan, slot)).build()).await();
    assertThat(record.scheduledAt()).isEqualTo(slot);
    assertThat(record.mode()).isEqualTo(1);
    assertThat(LiteralMap.parseFrom(record.inputs()).getLiteralsOrThrow("at").getDatetime())
        .isEqualTo(Timestamps.fromMillis(slot.toEpochMilli()));
  }

  @Test
  void activatingAnotherVersionMovesTheScheduleAndNoSlotFiresTwice() throws Exception {
    Process process = new Process(T0, "only", Duration.ofSeconds(10));
    register(process, "sync", "v1", cron("* * * * *"));
    register(process, "sync", "v2", cron("*/2 * * * *"));
    activate(process, "sync", "v1");
    process.start();

    process.minutes(3, 3);
    process.time.advance(Duration.ofSeconds(59));
    activate(process, "sync", "v2");
    // v2 is active one second before v1's next slot (4 minutes), whether or not this
    // replica has polled the change yet: v1 cannot fire it, v2 does.
    for (int minute = 4; minute <= 8; minute++) {
      process.time.advance(Duration.ofMinutes(1));
      int expected = 3 + (minute - 2) / 2;
      RealTime.await(expected + " executions", WAIT, () -> executions().size() == expected);
    }

    assertThat(executions()).containsExactly(T0.plus(Duration.ofMinutes(1)),
        T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(3)),
        T0.plus(Duration.ofMinutes(4)), T0.plus(Duration.ofMinutes(6)),
        T0.plus(Duration.ofMinutes(8)));
    assertThat(versions()).containsExactly("v1", "v1", "v1", "v2", "v2", "v2");

    process.admin.registry().updateLaunchPlan(planId("sync", "v2"), LaunchPlanState.INACTIVE)
        .await();
    process.time.advance(Duration.ofSeconds(2));
    RealTime.await("the schedule dropped", WAIT, () -> process.schedules() == 0);
    process.time.advance(Duration.ofMinutes(10));
    assertThat(executions()).hasSize(6);
  }

  @Test
  void aVersionActivatedBeforeSchedulesFiredIsPlacedAtStartUpAndFires() throws Exception {
    Process process = new Process(T0, "only", Duration.ofSeconds(10));
    register(process, "legacy", "v1", cron("* * * * *"));
    activate(process, "legacy", "v1");
    execute("UPDATE launch_plans SET schedule_shard = NULL");

    assertThat(process.admin.placeSchedules().await()).isEqualTo(1);
    assertThat(process.admin.placeSchedules().await()).isZero();
    process.start();
    process.minutes(2, 2);

    assertThat(executions()).containsExactly(T0.plus(Duration.ofMinutes(1)),
        T0.plus(Duration.ofMinutes(2)));
  }

  private static Schedule rate(int minutes) {
    return Schedule.newBuilder().setRate(FixedRate.newBuilder().setValue(minutes)
        .setUnit(FixedRate.Unit.MINUTE)).setKickoffTimeInputArg("at").build();
  }

  private static Schedule cron(String expression) {
    return Schedule.newBuilder().setCronExpression(expression).setKickoffTimeInputArg("at")
        .build();
  }

  private static Identifier planId(String name, String version) {
    return Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN).setProject("p")
        .setDomain("d").setName(name).setVersion(version).build();
  }

  private static void register(Process process, String name, String version, Schedule schedule) {
    Identifier task = Identifier.newBuilder().setResourceType(ResourceType.TASK).setProject("p")
        .setDomain("d").setName("report").setVersion("v1").build();
    Identifier workflow = task.toBuilder().setResourceType(ResourceType.WORKFLOW)
        .setName("reports").build();
    process.admin.registry().createTask(task, TaskTemplate.newBuilder().setType("echo")
        .setInterface(TypedInterface.newBuilder().putInputs("at", DATETIME)
            .putOutputs("at", DATETIME)).build()).await();
    process.admin.registry().createWorkflow(workflow, WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("at", DATETIME))
        .addNodes(Node.newBuilder().setId("report").setTaskNode(TaskNode.newBuilder()
                .setTaskId(task))
            .addInputs(Binding.newBuilder().setVar("at")
                .setBinding(BindingData.newBuilder().setWorkflowInput("at")))).build()).await();
    process.admin.registry().createLaunchPlan(planId(name, version), LaunchPlanSpec.newBuilder()
        .setWorkflowId(workflow).setSchedule(schedule).build()).await();
  }

  private static void activate(Process process, String name, String version) {
    process.admin.registry().updateLaunchPlan(planId(name, version), LaunchPlanState.ACTIVE)
        .await();
  }

  /** The scheduled times of the executions, in the order they were created. */
  private List<Instant> executions() throws Exception {
    List<Instant> times = new ArrayList<>();
    query("SELECT scheduled_at FROM executions ORDER BY id",
        rows -> times.add(rows.getObject(1, OffsetDateTime.class).toInstant()));
    return times;
  }

  private List<String> versions() throws Exception {
    List<String> versions = new ArrayList<>();
    query("SELECT lp.version FROM executions e JOIN launch_plans lp ON lp.id = e.launch_plan_id"
        + " ORDER BY e.scheduled_at", rows -> versions.add(rows.getString(1)));
    return versions;
  }

  private void awaitSnapshot() throws Exception {
    RealTime.await("a snapshot", WAIT, () -> {
      List<Object> written = new ArrayList<>();
      query("SELECT 1 FROM schedule_shards WHERE snapshot_at IS NOT NULL", written::add);
      return !written.isEmpty();
    });
  }

  private interface RowReader {
    void read(ResultSet row) throws Exception;
  }

  private void execute(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(),
            database.user(), database.password());
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  private void query(String sql, RowReader reader) throws Exception {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(),
            database.user(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        reader.read(rows);
      }
    }
  }
}
