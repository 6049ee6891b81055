package io.starling.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.sdk.example.SeedMapWorkflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK against a sandbox over real gRPC: the seed's map workflow written with it,
 * registered, run on a Java worker, with the right result; a task that throws fails its node
 * after its retries with the exception's message and stack trace; bad inputs are refused
 * before anything is sent.
 */
class JavaSdkIT {

  @TempDir
  static Path data;
  private static Replica sandbox;
  private static String server;

  @BeforeAll
  static void start() {
    sandbox = Replica.start(StarlingConfig.load(null, Map.of(
        "STARLING_DATABASE_DATA_DIR", data.resolve("pg").toString(),
        "STARLING_DATABASE_DURABLE", "false",
        "STARLING_GRPC_PORT", "0", "STARLING_HTTP_PORT", "0")));
    server = "127.0.0.1:" + sandbox.grpcPort();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void theSeedMapWorkflowRunsOnAJavaWorker() {
    Workflow workflow = SeedMapWorkflow.MY_MAP_WORKFLOW;
    try (Starling starling = Starling.connect(server, "default", "development");
        Worker worker = Worker.start(server, "default", "development", "seed-java",
            workflow.tasks(), 256, 2)) {
      starling.register("v1", "seed-java", List.of(workflow));
      List<Long> items = LongStream.range(0, 1000).boxed().toList();
      String name = starling.launch(workflow, "v1", Map.of("a", items));
      Map<String, Object> outputs = starling.await(name, workflow);
      assertThat(outputs.get("o0")).isEqualTo(LongStream.range(0, 1000)
          .mapToObj(a -> Long.toString(a + 2)).collect(Collectors.joining()));
    }
  }

  @Test
  void aTaskThatThrowsFailsAfterItsRetriesWithItsMessageAndStackTrace() {
    Task refuse = Task.named("refuse").input("x", Type.INTEGER).output("o0", Type.INTEGER)
        .retries(1).run(in -> {
          throw new IllegalArgumentException("x=" + in.get("x", Type.INTEGER) + " is refused");
        });
    Workflow.Builder builder = Workflow.named("refusing");
    Workflow.Value<Long> x = builder.input("x", Type.INTEGER);
    Workflow workflow = builder.output("o0", builder.task(refuse).bind("x", x)
        .output("o0", Type.INTEGER)).build();
    try (Starling starling = Starling.connect(server, "default", "development");
        Worker worker = Worker.start(server, "default", "development", "refusing",
            workflow.tasks(), 8, 1)) {
      starling.register("v1", "refusing", List.of(workflow));
      String name = starling.launch(workflow, "v1", Map.of("x", 7L));
      StarlingException failed = catchThrowableOfType(StarlingException.class,
          () -> starling.await(name, workflow));
      assertThat(failed.status()).isEqualTo("FAILED");
      assertThat(failed.getMessage()).contains("IllegalArgumentException", "x=7 is refused",
          "at io.starling.sdk.JavaSdkIT");
    }
  }

  @Test
  void anInputOfTheWrongTypeOrNameIsRefusedBeforeAnythingIsSent() {
    Workflow workflow = SeedMapWorkflow.MY_MAP_WORKFLOW;
    try (Starling starling = Starling.connect(server, "default", "development")) {
      assertThat(catchThrowableOfType(IllegalArgumentException.class,
          () -> starling.launch(workflow, "v1", Map.of("b", List.of()))))
          .hasMessage("launch of my_map_workflow: workflow my_map_workflow has no input b");
      assertThat(catchThrowableOfType(IllegalArgumentException.class,
          () -> starling.launch(workflow, "v1", Map.of("a", List.of("x")))))
          .hasMessageContaining("input a");
      assertThat(catchThrowableOfType(StarlingException.class,
          () -> starling.launch(workflow, "no-such-version", Map.of("a", List.of(1L))))
          .status()).isEqualTo("NOT_FOUND");
    }
  }

  record Reading(String sensor, double celsius) {}

  @TaskMethod
  static Reading calibrate(Reading reading, double offset) {
    return new Reading(reading.sensor(), reading.celsius() + offset);
  }

  @Test
  void aLaunchPlanFixesAndDefaultsInputsOfATaskMethodOverRecords() {
    Type<Reading> readings = Type.record(Reading.class);
    Workflow.Builder builder = Workflow.named("calibrating");
    Workflow.Value<Reading> reading = builder.input("reading", readings);
    Workflow.Value<Double> offset = builder.input("offset", Type.FLOAT);
    Workflow workflow = builder.output("o0", builder
        .task(Task.method(JavaSdkIT.class, "calibrate")).bind("reading", reading)
        .bind("offset", offset).output("o0", readings)).build();
    LaunchPlan plan = LaunchPlan.of(workflow).named("calibrate-s1")
        .fixed("reading", new Reading("s1", 20.5)).defaults("offset", 1.0).build();
    LaunchPlan hourly = LaunchPlan.of(workflow).named("calibrate-hourly")
        .fixed("reading", new Reading("s2", 0)).defaults("offset", 0.0)
        .cron("@hourly").timeZone("Europe/Berlin").build();
    try (Starling starling = Starling.connect(server, "default", "development");
        Worker worker = Worker.start(server, "default", "development", "calibrating",
            workflow.tasks(), 8, 1)) {
      starling.register("v1", "calibrating", List.of(workflow), List.of(plan, hourly));
      assertThat(starling.await(starling.launch(plan, "v1", Map.of()), workflow).get("o0"))
          .isEqualTo(new Reading("s1", 21.5));
      assertThat(starling.await(starling.launch(plan, "v1", Map.of("offset", -0.5)), workflow)
          .get("o0")).isEqualTo(new Reading("s1", 20.0));
      assertThat(catchThrowableOfType(StarlingException.class, () -> starling.launch(plan, "v1",
          Map.of("reading", new Reading("s9", 0)))).status()).isEqualTo("INVALID_ARGUMENT");

      starling.activate(hourly, "v1");
      starling.deactivate(hourly, "v1");
      assertThat(catchThrowableOfType(StarlingException.class,
          () -> starling.activate(hourly, "v2")).status()).isEqualTo("NOT_FOUND");
      LaunchPlan broken = LaunchPlan.of(workflow).named("calibrate-never").cron("61 * * * *")
          .build();
      assertThat(catchThrowableOfType(StarlingException.class, () -> starling.register("v1",
          "calibrating", List.of(), List.of(broken))).getMessage()).contains("cron");
    }
  }

  @Test
  void aLaunchPlanRefusesAnInputTheWorkflowDoesNotHave() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> LaunchPlan.of(SeedMapWorkflow.MY_MAP_WORKFLOW).fixed("z", 1L)))
        .hasMessage("launch plan my_map_workflow: workflow my_map_workflow has no input z");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> LaunchPlan.of(SeedMapWorkflow.MY_MAP_WORKFLOW).every(java.time.Duration
            .ofSeconds(90)))).hasMessageContaining("whole minutes");
  }
}
