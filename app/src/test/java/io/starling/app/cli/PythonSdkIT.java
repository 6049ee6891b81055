package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python SDK ({@code sdk/python}) as its users run it, in processes of its own against a
 * sandbox: its unit tests, the seed's map workflow (Flyte's example with one changed import
 * line) on a worker process, and tasks that raise. Needs Debian's python3-grpcio,
 * python3-protobuf, protobuf-compiler and protobuf-compiler-grpc (.ci/run installs them);
 * {@code STARLING_PYTHON} names another interpreter.
 */
class PythonSdkIT {

  private static final Path SDK = Path.of("..", "sdk", "python").toAbsolutePath().normalize();
  private static final Pattern EXECUTION = Pattern.compile("execution (\\S+) of ");

  @TempDir
  static Path data;
  private static RunningSandbox running;

  private record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void start() {
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE", "false"));
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void theUnitTestsOfTheSdkPass() throws Exception {
    Run tests = python(List.of("-m", "unittest", "discover", "-s", "tests"));
    assertThat(tests.exitCode()).as(tests.err()).isZero();
  }

  @Test
  void theSeedMapWorkflowRunsOnAWorkerProcessUnchangedButForItsImportLine() throws Exception {
    Path example = SDK.resolve("examples/seed_map_workflow.py");
    List<String> seed = Files.readAllLines(Path.of("..", "..", "shared", "examples",
        "seed_map_workflow.py").toAbsolutePath().normalize());
    List<String> ours = Files.readAllLines(example);
    assertThat(ours).hasSameSizeAs(seed);
    for (int i = 0; i < seed.size(); i++) {
      if (!seed.get(i).startsWith("from flytekit import")) {
        assertThat(ours.get(i)).isEqualTo(seed.get(i));
      }
    }
    Process worker = start(List.of("-m", "starling", "--server", server(), "worker",
        example.toString()));
    try {
      String items = IntStream.range(0, 1000).mapToObj(Integer::toString)
          .collect(Collectors.joining(",", "[", "]"));
      Run run = python(List.of("-m", "starling", "--server", server(), "run",
          example.toString(), "my_map_workflow", "--no-worker", "--a", items));
      assertThat(run.exitCode()).as(run.err()).isZero();
      String expected = IntStream.range(0, 1000).mapToObj(a -> Integer.toString(a + 2))
          .collect(Collectors.joining());
      assertThat(run.out().strip()).isEqualTo("\"" + expected + "\"");
      NodeExecutionRecord map = nodes(run).get(0);
      assertThat(map.getSubtasks().getSucceeded()).isEqualTo(1000);
    } finally {
      worker.destroy();
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aTaskThatRaisesFailsItsNodeWithTheMessageAndTracebackAfterItsRetries() throws Exception {
    Run run = python(List.of("-m", "starling", "--server", server(), "run",
        "tests/failing_tasks.py", "always_fails", "--x", "3"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED", "ValueError", "x=3 is not welcome",
        "Traceback (most recent call last)", "in flaky");
    NodeExecutionRecord node = nodes(run).get(0);
    assertThat(node.getAttempts()).isEqualTo(2);

    Run once = python(List.of("-m", "starling", "--server", server(), "run",
        "tests/failing_tasks.py", "fails_at_once", "--x", "3"));
    assertThat(once.err()).contains("NonRetryableError", "no retry can mend this");
    assertThat(nodes(once).get(0).getAttempts()).isEqualTo(1);
  }

  @Test
  void aConditionalRunsTheCaseThatHolds() throws Exception {
    for (String[] expected : new String[][] {{"20", "40"}, {"-3", "3"}, {"5", "25"}}) {
      Run run = python(List.of("-m", "starling", "--server", server(), "run",
          "tests/branches.py", "pick", "--x=" + expected[0]));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().strip()).isEqualTo(expected[1]);
    }
  }

  @Test
  void aBadInputIsOneClearLine() throws Exception {
    Run run = python(List.of("-m", "starling", "--server", server(), "run",
        "examples/seed_map_workflow.py", "my_map_workflow", "--b", "[1]"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("error: workflow my_map_workflow has no input 'b' (inputs: a)");
  }

  private static List<NodeExecutionRecord> nodes(Run run) {
    Matcher name = EXECUTION.matcher(run.err());
    assertThat(name.find()).as(run.err()).isTrue();
    return running.client.call(AdminServiceGrpcClient.ListNodeExecutions,
        NodeExecutionListRequest.newBuilder().setExecutionId(RunningSandbox.execution(
            name.group(1))).build()).getNodeExecutionsList();
  }

  private static String server() {
    return "127.0.0.1:" + running.sandbox.grpcPort();
  }

  private static String interpreter() {
    String chosen = System.getenv("STARLING_PYTHON");
    if (chosen != null && !chosen.isBlank()) {
      return chosen;
    }
    return new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
  }

  private static Process start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(interpreter()));
    command.addAll(args);
    return new ProcessBuilder(command).directory(SDK.toFile())
        .redirectOutput(data.resolve("worker.out").toFile())
        .redirectError(data.resolve("worker.err").toFile()).start();
  }

  private static Run python(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(interpreter()));
    command.addAll(args);
    Path out = Files.createTempFile(data, "out", ".txt");
    Path err = Files.createTempFile(data, "err", ".txt");
    Process process = new ProcessBuilder(command).directory(SDK.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("python " + args + " did not end within 120s: "
          + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
