package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.demo.SeedWorkflow;
import io.starling.auth.ApiKey;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser (Debian's chromium driven by playwright-core from npm,
 * src/test/console/console.test.js) against a sandbox that takes only API keys, as a user goes
 * through it: the seed workflow's execution with its map node's 1,000/1,000, a 10,000-node
 * fan-out, a failure and its failing node, a running execution terminated from the page, an
 * unknown execution, the registry, a schedule's next slots, the cluster, and the server
 * stopping under the open page. The screenshots go to target/console-screenshots, or to the
 * directory of {@code -Dconsole.screenshots} ({@code ../docs/console} refreshes the README's).
 * Needs node, npm and chromium (.ci/run installs them).
 */
class ConsoleIT {

  private static final Path DRIVER = Path.of("target", "console-test");
  private static final ApiKey KEY = ApiKey.generate();
  private static final int FAN_OUT = 10_000;

  @TempDir
  static Path data;
  private static RunningSandbox running;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(DRIVER);
    for (String file : List.of("package.json", "package-lock.json", "console.test.js")) {
      Files.copy(Path.of("src", "test", "console", file), DRIVER.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(DRIVER.resolve("node_modules"))) {
      node(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
    }
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE",
        "false", "STARLING_AUTH_MODE", "api-keys", "STARLING_AUTH_BOOTSTRAP_KEY", KEY.text()));
    try (AdminClient client = new AdminClient("127.0.0.1", running.sandbox.grpcPort(),
        KEY.text())) {
      seedRun(client);
    }
    Path spec = data.resolve("console.yaml");
    Files.writeString(spec, """
        project: default
        domain: development
        tasks:
          - {name: nothing, version: v1, type: noop}
          - {name: refuse, version: v1, type: fail, inputs: {a: integer}}
          - {name: pause, version: v1, type: sleep, config: {duration: PT1H}}
        workflows:
          - name: broken
            version: v1
            nodes:
              - {id: fine, task: nothing}
              - {id: refusal, task: refuse, inputs: {a: 1}, after: [fine]}
          - name: slow
            version: v1
            nodes:
              - {id: wait, task: pause}
          - name: fan
            version: v1
            nodes:
        %s
        launch_plans:
          - {name: broken, version: v1, workflow: broken}
          - {name: slow, version: v1, workflow: slow}
          - {name: fan, version: v1, workflow: fan}
          - {name: nightly, version: v1, workflow: slow, cron: "0 3 * * *"}
          - {name: nightly, version: v2, workflow: slow, workflow_version: v1, cron: "30 3 * * *"}
        """.formatted(IntStream.range(0, FAN_OUT)
            .mapToObj(i -> "      - {id: n%05d, task: nothing}".formatted(i))
            .collect(Collectors.joining("\n"))));
    cli("register", spec.toString());
    cli("launch", "fan", "--name", "fan-run", "--watch");
    cli("launch", "broken", "--name", "broken-run");
    cli("launch", "slow", "--name", "slow-run");
    cli("launchplan", "activate", "nightly", "--version", "v2");
  }

  /** The seed workflow over 1,000 items, as `starling demo` runs it, to its end. */
  private static void seedRun(AdminClient client) {
    RegisterCommand.register(client, SeedWorkflow.registration(),
        new PrintStream(OutputStream.nullOutputStream()));
    ExecutionIdentifier id = client.call(AdminServiceGrpcClient.CreateExecution,
        SeedWorkflow.execution(1000).setName("seed-run").build()).getId();
    assertThat(ExecutionWatcher.watch(client, id, new PrintStream(OutputStream.nullOutputStream()))
        .getClosure().getPhase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
  }

  private static void cli(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api-key", KEY.text()));
    CommandLineRun run = running.cli(command, all.toArray(String[]::new));
    assertThat(run.exitCode()).as(command + ": " + run.err()).isZero();
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aUserGoesThroughTheConsole() throws Exception {
    Path screenshots = Path.of(System.getProperty("console.screenshots",
        "target/console-screenshots")).toAbsolutePath();
    Files.createDirectories(screenshots);
    JsonObject seen = new JsonObject(node(List.of("node", "console.test.js",
        "http://127.0.0.1:" + running.sandbox.grpcPort() + "/", KEY.text(),
        screenshots.toString())));

    assertThat(seen.getString("url")).endsWith("/console/");
    assertThat(seen.getString("problemWithoutKey")).contains("UNAUTHENTICATED",
        "enter an API key");
    assertThat(seen.getBoolean("problemHidden")).isTrue();
    assertThat(seen.getJsonArray("executions").getList()).startsWith("slow-run")
        .contains("seed-run", "fan-run", "broken-run");
    assertThat(seen.getJsonArray("failedOnly").getList()).containsExactly("broken-run");

    assertThat(seen.getString("seedMapItems")).isEqualTo("1,000/1,000");
    assertThat(seen.getString("seedWorkflowVersion")).isEqualTo(SeedWorkflow.VERSION);
    assertThat(seen.getString("seedOutput")).startsWith("\"234567");
    assertThat(seen.getString("seedNodeSubtasks")).isEqualTo("1,000/1,000 succeeded");
    assertThat(seen.getInteger("seedNodeAttempts")).isPositive();
    assertThat(seen.getString("seedNodeCache")).isEqualTo("disabled");

    assertThat(seen.getString("fanGroup")).isEqualTo("10,000 nodes");
    assertThat(seen.getInteger("fanGroupRows")).isEqualTo(100);
    assertThat(seen.getString("fanNodeDetails")).contains("n00150", "SUCCEEDED");
    assertThat(seen.getInteger("fanElements")).as("elements on the fan-out's page")
        .isLessThan(3000);

    assertThat(seen.getString("failedPhase")).isEqualTo("FAILED");
    assertThat(seen.getString("failedError")).contains("refusal");
    assertThat(seen.getJsonArray("failingNode").getList()).containsExactly("refusal");
    assertThat(seen.getBoolean("recoverOffered")).isTrue();

    assertThat(seen.getString("terminatedPhase")).isEqualTo("ABORTED");
    assertThat(seen.getString("abortCause")).contains("no longer needed");
    assertThat(seen.getString("terminatedNode")).contains("ABORTED");

    assertThat(seen.getString("unknownProblem")).contains("NOT_FOUND", "no-such-run");
    assertThat(seen.getString("unknownView")).isEqualTo("Not found");

    assertThat(seen.getJsonArray("workflowVersions").getList()).containsExactly(
        SeedWorkflow.VERSION);
    assertThat(seen.getJsonArray("activePlanVersions").getList()).containsExactly("v2");
    assertThat(seen.getJsonArray("nightlySlots").getList()).hasSize(3)
        .allSatisfy(slot -> assertThat((String) slot).endsWith(" 03:30:00Z"));
    assertThat(seen.getInteger("replicas")).isEqualTo(1);
    assertThat(seen.getString("clusterSummary")).startsWith("1 replica,");

    assertThat(seen.getString("goneProblem")).contains("UNAVAILABLE",
        "the server does not answer");
    assertThat(seen.getInteger("goneKeepsList")).isEqualTo(1);
    assertThat(seen.getJsonArray("consoleErrors")).isEmpty();
    System.out.printf("console: first page in %d ms (the list of executions, key given)%n",
        seen.getInteger("firstPageMillis"));
  }

  /**
   * Runs a Node.js command in the driver's directory and returns its last line of output; a
   * line "stop-the-server" stops the sandbox, and the command is told so on its stdin.
   */
  private static String node(List<String> command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(DRIVER.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (install Node.js, npm"
          + " and chromium to run the console's test): " + e.getMessage(), e);
    }
    String last = "";
    try (BufferedReader out = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(process.getOutputStream(),
            StandardCharsets.UTF_8)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("stop-the-server")) {
          running.close();
          running = null;
          in.write("stopped\n");
          in.flush();
        } else if (!line.isBlank()) {
          last = line;
        }
      }
    }
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(command + " ended").isTrue();
    assertThat(process.exitValue()).as(command + " exit code").isZero();
    return last;
  }
}
