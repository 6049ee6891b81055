package io.starling.benchmarks;

import io.starling.app.cli.AdminClient;
import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
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
import io.starling.schema.DatabaseOptions;
import io.starling.schema.EmbeddedDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler under load, in a sandbox on embedded PostgreSQL (durable commits), everything
 * over the admin API as a user would.
 *
 * <p>{@code steady N MINUTES}: N launch plans with a schedule of every minute (a one-node
 * {@code noop} workflow with the slot as its input), activated at an even pace over one
 * minute, so about N/60 slots fall due each second; after one more minute, MINUTES minutes are
 * measured. Every slot of the measured window must have exactly one execution (a missing one
 * fails the run); prints the fire lag (created_at − scheduled_at, from the rows) p50, p99,
 * p99.9 and max, and the heap the schedules take (after a GC, with them loaded, minus before).
 *
 * <p>{@code catchup BEHIND ONTIME}: BEHIND schedules of every minute that missed an hour (the
 * sandbox is stopped, their anchors moved an hour back and the snapshots dropped, as if no
 * replica had run them since) and ONTIME schedules firing meanwhile; prints how long the
 * restarted sandbox takes to create the BEHIND × 60 missed executions and the lag of the
 * on-time slots while it does.
 */
public final class ScheduleHarness {

  private static final PrintStream OUT = System.out;
  private static final String PROJECT = "bench";
  private static final String DOMAIN = "schedules";
  private static final Variable DATETIME = Variable.newBuilder()
      .setType(LiteralType.newBuilder().setSimple(SimpleType.DATETIME)).build();

  private final DatabaseOptions database;
  private final Map<String, String> environment = new HashMap<>(System.getenv());

  /** The sandbox's replica on a PostgreSQL of the harness's, which outlives restarts. */
  private ScheduleHarness(DatabaseOptions database) {
    this.database = database;
    environment.put("STARLING_DATABASE_EMBEDDED", "false");
    environment.put("STARLING_DATABASE_HOST", database.host());
    environment.put("STARLING_DATABASE_PORT", Integer.toString(database.port()));
    environment.put("STARLING_DATABASE_NAME", database.database());
    environment.put("STARLING_DATABASE_USER", database.user());
    environment.put("STARLING_DATABASE_PASSWORD", database.password());
    environment.put("STARLING_GRPC_PORT", "0");
    environment.put("STARLING_HTTP_PORT", "0");
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "steady";
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(
        Files.createTempDirectory("starling-bench"), 0, true)) {
      ScheduleHarness harness = new ScheduleHarness(postgres.createDatabase("starling"));
      if (mode.equals("steady")) {
        harness.steady(args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
            args.length > 2 ? Integer.parseInt(args[2]) : 3);
      } else if (mode.equals("catchup")) {
        harness.catchUp(args.length > 1 ? Integer.parseInt(args[1]) : 1_000,
            args.length > 2 ? Integer.parseInt(args[2]) : 10_000);
      } else {
        throw new IllegalArgumentException("mode must be steady or catchup, got " + mode);
      }
    }
  }

  private void steady(int schedules, int minutes) throws Exception {
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment));
        AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      registerWorkflow(client);
      register(client, "s", schedules);
      long heapBefore = usedHeap();
      Instant activated = activate(client, "s", schedules, Duration.ofMinutes(1));
      Instant start = activated.plus(Duration.ofMinutes(1));
      Instant end = start.plus(Duration.ofMinutes(minutes));
      sleepUntil(start);
      long heapLoaded = usedHeap();
      OUT.printf("schedules=%d active, heap for them %d MB (%d MB before, %d MB loaded)%n",
          schedules, (heapLoaded - heapBefore) >> 20, heapBefore >> 20, heapLoaded >> 20);
      sleepUntil(end.plusSeconds(5));
      Lag lag = lag("s%", start, end);
      long expected = (long) schedules * minutes;
      OUT.printf("window=%d min slots expected=%d executions=%d missing=%d%n", minutes, expected,
          lag.count(), expected - lag.count());
      OUT.printf("fire lag: p50=%.1fms p99=%.1fms p99.9=%.1fms max=%.1fms%n", lag.p50(),
          lag.p99(), lag.p999(), lag.max());
      if (lag.count() != expected) {
        System.exit(1);
      }
    }
  }

  private void catchUp(int behind, int onTime) throws Exception {
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment));
        AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      registerWorkflow(client);
      register(client, "behind", behind);
      register(client, "ontime", onTime);
      activate(client, "behind", behind, Duration.ZERO);
      activate(client, "ontime", onTime, Duration.ofMinutes(1));
    }
    sql("UPDATE launch_plans SET activated_at = activated_at - interval '1 hour'"
        + " WHERE name LIKE 'behind%'");
    sql("UPDATE schedule_shards SET snapshot = NULL, snapshot_at = NULL");
    sql("DELETE FROM executions");
    Instant restarted = Instant.now();
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment))) {
      long expected = (long) behind * 60;
      long caughtUp;
      do {
        Thread.sleep(200);
        caughtUp = count("SELECT count(*) FROM executions e JOIN launch_plans lp"
            + " ON lp.id = e.launch_plan_id WHERE lp.name LIKE 'behind%'"
            + " AND e.scheduled_at <= lp.activated_at + interval '1 hour'");
      } while (caughtUp < expected);
      Instant done = Instant.now();
      double seconds = Duration.between(restarted, done).toMillis() / 1e3;
      OUT.printf("caught up %d missed slots of %d schedules in %.1fs (%.0f/s), restart included%n",
          expected, behind, seconds, expected / seconds);
      Lag lag = lag("ontime%", restarted.plusSeconds(5), done);
      OUT.printf("meanwhile %d on-time slots of %d schedules: fire lag p50=%.1fms p99=%.1fms"
          + " p99.9=%.1fms max=%.1fms%n", lag.count(), onTime, lag.p50(), lag.p99(), lag.p999(),
          lag.max());
    }
  }

  private static Identifier id(ResourceType type, String name) {
    return Identifier.newBuilder().setResourceType(type).setProject(PROJECT).setDomain(DOMAIN)
        .setName(name).setVersion("v1").build();
  }

  private static void registerWorkflow(AdminClient client) {
    client.call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "stamp")).setSpec(TaskTemplate.newBuilder().setType("noop")
            .setInterface(TypedInterface.newBuilder().putInputs("at", DATETIME))).build());
    client.call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "report")).setSpec(WorkflowTemplate.newBuilder()
            .setInterface(TypedInterface.newBuilder().putInputs("at", DATETIME))
            .addNodes(Node.newBuilder().setId("stamp")
                .setTaskNode(TaskNode.newBuilder().setTaskId(id(ResourceType.TASK, "stamp")))
                .addInputs(Binding.newBuilder().setVar("at")
                    .setBinding(BindingData.newBuilder().setWorkflowInput("at"))))).build());
  }

  private static void register(AdminClient client, String prefix, int count) throws Exception {
    long started = System.nanoTime();
    LaunchPlanSpec spec = LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW,
        "report")).setSchedule(Schedule.newBuilder().setKickoffTimeInputArg("at")
        .setRate(FixedRate.newBuilder().setValue(1).setUnit(FixedRate.Unit.MINUTE))).build();
    inParallel(count, i -> client.call(AdminServiceGrpcClient.CreateLaunchPlan,
        LaunchPlanCreateRequest.newBuilder().setId(id(ResourceType.LAUNCH_PLAN, prefix + i))
            .setSpec(spec).build()));
    OUT.printf("registered %d launch plans in %.1fs%n", count,
        (System.nanoTime() - started) / 1e9);
  }

  /** Activates {@code count} plans at an even pace over {@code over}; returns when done. */
  private static Instant activate(AdminClient client, String prefix, int count, Duration over)
      throws Exception {
    long started = System.nanoTime();
    long spacingNanos = over.toNanos() / count;
    inParallel(count, i -> {
      long due = started + i * spacingNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      client.call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
          .setId(id(ResourceType.LAUNCH_PLAN, prefix + i)).setState(LaunchPlanState.ACTIVE)
          .build());
    });
    OUT.printf("activated %d launch plans in %.1fs%n", count,
        (System.nanoTime() - started) / 1e9);
    return Instant.now();
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  private static void inParallel(int count, Step step) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> done = new ArrayList<>();
      int perThread = (count + 31) / 32;
      for (int from = 0; from < count; from += perThread) {
        int first = from;
        int last = Math.min(count, from + perThread);
        done.add(threads.submit(() -> {
          for (int i = first; i < last; i++) {
            step.run(i);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdown();
    }
  }

  /** Fire lag of the slots of plans named like {@code pattern} scheduled in [from, to). */
  private record Lag(long count, double p50, double p99, double p999, double max) {}

  private Lag lag(String pattern, Instant from, Instant to) throws Exception {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement("""
            SELECT count(*),
                   percentile_cont(ARRAY[0.5, 0.99, 0.999]) WITHIN GROUP (ORDER BY lag),
                   max(lag)
              FROM (SELECT extract(epoch FROM e.created_at - e.scheduled_at) * 1000 AS lag
                      FROM executions e JOIN launch_plans lp ON lp.id = e.launch_plan_id
                     WHERE lp.name LIKE ? AND e.scheduled_at >= ? AND e.scheduled_at < ?) l""")) {
      statement.setString(1, pattern);
      statement.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      statement.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        Double[] percentiles = row.getArray(2) == null ? new Double[] {0d, 0d, 0d}
            : (Double[]) row.getArray(2).getArray();
        return new Lag(row.getLong(1), percentiles[0], percentiles[1], percentiles[2],
            row.getDouble(3));
      }
    }
  }

  private long count(String query) throws Exception {
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      return row.getLong(1);
    }
  }

  private void sql(String update) throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(update);
    }
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  private static void sleepUntil(Instant instant) throws InterruptedException {
    long millis = Duration.between(Instant.now(), instant).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static long usedHeap() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
