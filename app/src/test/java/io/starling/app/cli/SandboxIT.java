package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.replica.Replica;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox driven through the command line over real gRPC, as a user drives it. */
class SandboxIT {

  @TempDir static Path data;
  private static Replica sandbox;

  @BeforeAll
  static void start() {
    sandbox = TestSandbox.start(data, Map.of("STARLING_DATABASE_DURABLE", "false"));
    assertThat(run("register", "../examples/hello.yaml").exitCode()).isZero();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static CommandLineRun run(String command, String... args) {
    return CommandLineRun.against(sandbox, command, args);
  }

  @Test
  void aLaunchedWorkflowRunsToSucceededWithItsOutput() {
    CommandLineRun launch = run("launch", "greet", "--input", "who=\"world\"", "--name", "greet-world", "--watch");

    assertThat(launch.exitCode()).as(launch.err()).isZero();
    assertThat(launch.out()).contains("phase      SUCCEEDED").contains("hello, world");
    assertThat(run("get", "greet-world").out()).contains("SUCCEEDED");
    assertThat(run("list").out()).contains("greet-world");
  }

  @Test
  void executionsAndTheirNodesPrintAsTablesJsonAndYaml() throws Exception {
    assertThat(run("launch", "greet", "--input", "who=\"json\"", "--name", "greet-json",
        "--watch").exitCode()).isZero();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    var got = json.readTree(run("get", "greet-json", "-o", "json").out());
    var listed = json.readTree(run("list", "--output", "json").out());
    var nodes = json.readTree(run("nodes", "greet-json", "-o", "json").out());
    CommandLineRun yaml = run("get", "greet-json", "-o", "yaml");
    CommandLineRun table = run("nodes", "greet-json");
    CommandLineRun wrong = run("get", "greet-json", "-o", "xml");
    CommandLineRun completion = CommandLineRun.of("completion");

    assertThat(got.at("/execution/closure/phase").asText()).isEqualTo("SUCCEEDED");
    assertThat(got.at("/execution/id/name").asText()).isEqualTo("greet-json");
    assertThat(got.at("/outputs/greeting").asText()).isEqualTo("hello, json");
    assertThat(got.at("/inputs/who").asText()).isEqualTo("json");
    assertThat(listed.at("/executions").findValuesAsText("name")).contains("greet-json");
    assertThat(nodes.at("/node_executions").findValuesAsText("node_id"))
        .containsExactlyInAnyOrder("hello", "loud");
    assertThat(yaml.out()).contains("phase: SUCCEEDED", "greeting: \"hello, json\"");
    assertThat(table.out()).containsPattern("hello +SUCCEEDED +1 ");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("-o", "xml", "table, json, yaml");
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out()).contains("complete -F", "nodes", "launchplan");
  }

  @Test
  void registeredVersionsAreShownNewestFirstOrByVersion() throws Exception {
    CommandLineRun task = run("get", "task", "greet");
    CommandLineRun workflow = run("get", "workflow", "greet", "--version", "v1");
    CommandLineRun plan = run("get", "launchplan", "greet", "-o", "json");
    CommandLineRun missing = run("get", "task", "no-such-task");
    CommandLineRun nothing = run("get");

    assertThat(task.out()).contains("task       default/development/greet@v1", "type       process",
        "inputs     who: string", "outputs    greeting: string", "retries    2",
        "timeout    30s");
    assertThat(workflow.out()).contains("nodes      2: hello (task greet), loud (task shout)");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan.out())
        .at("/spec/max_parallelism").asInt()).isEqualTo(10);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no task named 'no-such-task' in default/development");
    assertThat(nothing.exitCode()).isNotZero();
    assertThat(nothing.err()).contains("get task|workflow|launchplan NAME");
    assertThat(run("list", "tasks").out()).containsPattern("greet +v1 ")
        .containsPattern("shout +v1 ");
    assertThat(run("list", "launchplans", "greet").out()).containsPattern("greet +v1 .* INACTIVE");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        run("list", "workflows", "-o", "json").out()).at("/workflows/0/id/name").asText())
        .isNotEmpty();
  }

  @Test
  void aScheduleIsActivatedListedWithItsNextSlotAndDeactivated() {
    assertThat(run("register", "../examples/scheduled.yaml").exitCode()).isZero();

    CommandLineRun activate = run("launchplan", "activate", "minutely-report");
    CommandLineRun listed = run("schedule", "list");
    CommandLineRun three = run("schedule", "list", "--slots", "3");
    CommandLineRun tooMany = run("schedule", "list", "--slots", "101");
    CommandLineRun deactivate = run("launchplan", "deactivate", "minutely-report", "--version",
        "v1");
    CommandLineRun unlisted = run("schedule", "list");
    CommandLineRun missing = run("launchplan", "activate", "no-such-plan");

    assertThat(activate.exitCode()).as(activate.err()).isZero();
    assertThat(activate.out()).contains("default/development/minutely-report@v1 ACTIVE");
    assertThat(listed.out()).containsPattern("default/development/minutely-report@v1 +\\* \\* \\* \\*"
        + " \\* +all +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z");
    assertThat(three.out()).containsPattern("(?m)minutely-report@v1 .* all( +\\d{4}-\\d\\d-\\d\\dT"
        + "\\d\\d:\\d\\d:00Z){3}$");
    assertThat(tooMany.exitCode()).isEqualTo(1);
    assertThat(tooMany.err()).contains("slots must be between 0 and 100, got 101");
    assertThat(deactivate.out()).contains("default/development/minutely-report@v1 INACTIVE");
    assertThat(unlisted.out()).doesNotContain("minutely-report");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no launch plan named 'no-such-plan' in default/development");
  }

  @Test
  void aTaskThatPrintsNonJsonFailsTheExecutionSayingWhat() throws Exception {
    Path spec = data.resolve("broken.yaml");
    java.nio.file.Files.writeString(spec, """
        project: default
        domain: development
        tasks:
          - {name: chatty, version: v1, type: process, outputs: {o: string}, command: [sh, -c, 'echo hello']}
          - {name: crash, version: v1, type: process, command: [sh, -c, 'echo boom >&2; exit 7']}
        workflows:
          - {name: chatty, version: v1, nodes: [{id: a, task: chatty}]}
          - {name: crash, version: v1, nodes: [{id: a, task: crash}]}
        launch_plans:
          - {name: chatty, version: v1}
          - {name: crash, version: v1}
        """);
    assertThat(run("register", spec.toString()).exitCode()).isZero();

    CommandLineRun chatty = run("launch", "chatty", "--watch");
    CommandLineRun crash = run("launch", "crash", "--watch");

    assertThat(chatty.exitCode()).isEqualTo(1);
    assertThat(chatty.out()).contains("phase      FAILED").contains("stdout is not a JSON object: hello");
    assertThat(crash.exitCode()).isEqualTo(1);
    assertThat(crash.out()).contains("exited with code 7: boom");
  }

  @Test
  void registeringTheSameSpecAgainSucceeds() {
    assertThat(run("register", "../examples/hello.yaml").exitCode()).isZero();
  }

  @Test
  void terminatingAFinishedExecutionIsOneClearErrorLine() {
    assertThat(run("launch", "greet", "--name", "done-already", "--watch").exitCode()).isZero();

    CommandLineRun terminate = run("terminate", "done-already");

    assertThat(terminate.exitCode()).isEqualTo(1);
    assertThat(terminate.err().strip()).startsWith("error: FAILED_PRECONDITION").doesNotContain("\n");
  }

  @Test
  void aSecondExecutionWithTheSameNameIsRefused() {
    assertThat(run("launch", "greet", "--name", "only-once").exitCode()).isZero();

    CommandLineRun again = run("launch", "greet", "--name", "only-once");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("ALREADY_EXISTS");
  }

  @Test
  void unknownThingsAreNamedInTheError() {
    assertThat(run("get", "no-such-execution").err()).contains("error: NOT_FOUND");
    assertThat(run("launch", "no_such_plan").err()).contains("no launch plan named 'no_such_plan'");
    assertThat(run("launch", "greet", "--input", "who=[1]").err())
        .contains("error: who: expected string");
  }

  @Test
  void standardGrpcHealthCheckingReportsTheAdminServing() {
    ServiceMethod<HealthCheckResponse, HealthCheckRequest> check = ServiceMethod.client(
        ServiceName.create("grpc.health.v1", "Health"), "Check",
        GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
    try (AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      HealthCheckResponse health = client.call(check,
          HealthCheckRequest.newBuilder().setService("starling.admin.AdminService").build());

      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void metricsAndHealthAreServedOverHttp() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + sandbox.httpPort();

    HttpResponse<String> metrics = http.send(
        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> health = http.send(
        HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(metrics.body()).contains("starling_propeller_free_workers")
        .contains("starling_propeller_round_seconds").contains("jvm_memory");
    assertThat(health.statusCode()).isEqualTo(200);
    for (String probe : new String[] {"/readyz", "/livez"}) {
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + probe)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as(probe).isEqualTo(200);
    }
  }
}
