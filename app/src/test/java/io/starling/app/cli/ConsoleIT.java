package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.auth.ApiKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser (Debian's chromium driven by playwright-core from npm,
 * src/test/console) against a sandbox that takes only API keys: without a key it says so; with
 * one it lists the executions, follows one to its end with its nodes and a map's items, and
 * shows a failed one's error. Needs node, npm and chromium (.ci/run installs them).
 */
class ConsoleIT {

  private static final Path DRIVER = Path.of("target", "console-test");
  private static final ApiKey KEY = ApiKey.generate();

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
      run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
    }
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE",
        "false", "STARLING_AUTH_MODE", "api-keys", "STARLING_AUTH_BOOTSTRAP_KEY", KEY.text()));
    Path spec = data.resolve("console.yaml");
    Files.writeString(spec, """
        project: default
        domain: development
        tasks:
          - {name: add, version: v1, type: echo, inputs: {a: integer}, outputs: {a: integer}}
          - {name: refuse, version: v1, type: fail, inputs: {a: integer}}
        workflows:
          - name: each
            version: v1
            inputs: {xs: list<integer>}
            nodes:
              - {id: first, task: add, inputs: {a: 1}}
              - {id: every, map: add, inputs: {a: "{{inputs.xs}}"}, after: [first]}
          - name: broken
            version: v1
            nodes:
              - {id: no, task: refuse, inputs: {a: 1}}
        launch_plans:
          - {name: each, version: v1, workflow: each, default_inputs: {xs: [1, 2, 3, 4]}}
          - {name: broken, version: v1, workflow: broken}
        """);
    for (String[] command : new String[][] {{"register", spec.toString()},
        {"launch", "each", "--name", "shown-run", "--watch"},
        {"launch", "broken", "--name", "broken-run", "--watch"}}) {
      String[] args = java.util.Arrays.copyOfRange(command, 1, command.length + 2);
      args[args.length - 2] = "--api-key";
      args[args.length - 1] = KEY.text();
      running.cli(command[0], args);
    }
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aUserWithAKeyFollowsAnExecutionToItsEndAndSeesAFailuresError() throws Exception {
    JsonObject seen = new JsonObject(run(List.of("node", "console.test.js",
        "http://127.0.0.1:" + running.sandbox.grpcPort() + "/", KEY.text(), "shown-run",
        "broken-run")).strip());
    assertThat(seen.getString("url")).endsWith("/console/");
    assertThat(seen.getString("problemWithoutKey")).contains("UNAUTHENTICATED",
        "enter an API key");
    assertThat(seen.getBoolean("problemHidden")).isTrue();
    assertThat(seen.getJsonArray("executions").stream().map(String::valueOf))
        .contains("shown-run", "broken-run");
    assertThat(seen.getString("phase")).isEqualTo("SUCCEEDED");
    JsonArray nodes = seen.getJsonArray("nodes");
    assertThat(nodes.stream().map(node -> ((JsonObject) node).getString("id")))
        .containsExactlyInAnyOrder("first", "every");
    JsonObject every = nodes.stream().map(JsonObject.class::cast)
        .filter(node -> node.getString("id").equals("every")).findFirst().orElseThrow();
    assertThat(every.getString("phase")).isEqualTo("SUCCEEDED");
    assertThat(every.getString("items")).isEqualTo("4/4");
    assertThat(seen.getString("failedPhase")).isEqualTo("FAILED");
    assertThat(seen.getString("failedError")).contains("no");
    assertThat(seen.getJsonArray("consoleErrors")).isEmpty();
  }

  private static String run(List<String> command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(DRIVER.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (install Node.js, npm"
          + " and chromium to run the console's test): " + e.getMessage(), e);
    }
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(command + " ended").isTrue();
    assertThat(process.exitValue()).as(command + " exit code").isZero();
    return out;
  }
}
