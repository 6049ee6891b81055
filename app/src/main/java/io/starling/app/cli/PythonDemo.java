package io.starling.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code starling demo --python}: the seed workflow as a Flyte user writes it
 * ({@code sdk/python/examples/seed_map_workflow.py}), registered and run by the Python SDK
 * against the demo's sandbox, its tasks on a worker process of their own.
 */
final class PythonDemo {

  private final Path sdk;
  private final String python;
  private final PrintStream out;

  PythonDemo(Path sdk, String python, PrintStream out) {
    this.sdk = sdk;
    this.python = python;
    this.out = out;
  }

  /** The SDK of this checkout: next to the launcher ({@code starling.home}), else here. */
  static Path sdkOfThisCheckout() {
    return Path.of(System.getProperty("starling.home", "."), "sdk", "python");
  }

  /** Runs the example over {@code width} items; true when it printed the expected result. */
  boolean run(int grpcPort, int width) throws IOException, InterruptedException {
    if (!Files.isRegularFile(sdk.resolve("examples/seed_map_workflow.py"))) {
      throw new IllegalArgumentException("no Python SDK at " + sdk + " (--sdk DIR)");
    }
    String server = "127.0.0.1:" + grpcPort;
    Path items = Files.createTempFile("starling-demo", ".json");
    Files.writeString(items, IntStream.range(0, width).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]")));
    out.println("Starting a Python worker for examples/seed_map_workflow.py ...");
    Process worker = new ProcessBuilder(command("--server", server, "worker",
        "examples/seed_map_workflow.py")).directory(sdk.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Process run = new ProcessBuilder(command("--server", server, "run",
          "examples/seed_map_workflow.py", "my_map_workflow", "--no-worker", "--a", "@" + items))
          .directory(sdk.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String result = new String(run.getInputStream().readAllBytes()).strip();
      if (run.waitFor() != 0) {
        out.println("error: the Python SDK's run failed (its error is above)");
        return false;
      }
      // The SDK prints a single output as JSON: the string in quotes.
      boolean quoted = result.length() >= 2 && result.startsWith("\"") && result.endsWith("\"");
      return DemoCommand.check(quoted ? result.substring(1, result.length() - 1) : result, width,
          out);
    } finally {
      worker.destroy();
      worker.waitFor();
      Files.deleteIfExists(items);
    }
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(python, "-m", "starling"));
    command.addAll(List.of(args));
    return command;
  }
}
