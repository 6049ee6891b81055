package io.starling.benchmarks;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.sdk.Starling;
import io.starling.sdk.Worker;
import io.starling.sdk.Workflow;
import io.starling.sdk.example.SeedMapWorkflow;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The seed map workflow written with the Java SDK, on Java workers: a sandbox (embedded
 * PostgreSQL; commits not durable unless STARLING_DATABASE_DURABLE=true), WORKERS workers of the
 * SDK in this JVM, each its own gRPC stream over loopback with capacity 256 and one task
 * thread, and one run per WIDTH, timed from the launch to the outputs read. A first run of 1,000
 * items warms the JVM up and is not reported.
 * <pre>benchmarks/run-java-workers WORKERS WIDTH...</pre>
 */
public final class JavaWorkerHarness {

  private JavaWorkerHarness() {}

  public static void main(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    List<Integer> widths = args.length > 1
        ? List.of(args).subList(1, args.length).stream().map(Integer::parseInt).toList()
        : List.of(1000, 100_000);
    Map<String, String> environment = SandboxSettings.of(
        Files.createTempDirectory("starling-bench"));
    environment.putIfAbsent("STARLING_DATABASE_DURABLE", "false");
    Workflow workflow = SeedMapWorkflow.MY_MAP_WORKFLOW;
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment))) {
      String server = "127.0.0.1:" + sandbox.grpcPort();
      List<Worker> pool = new ArrayList<>();
      try (Starling starling = Starling.connect(server, "bench", "java")) {
        for (int i = 0; i < workers; i++) {
          pool.add(Worker.start(server, "bench", "java", "seed", workflow.tasks(), 256, 1));
        }
        starling.register("v1", "seed", List.of(workflow));
        run(starling, workflow, 1000);
        System.out.printf("machine: %d cores; %d Java worker(s), capacity 256, 1 thread each%n",
            Runtime.getRuntime().availableProcessors(), workers);
        for (int width : widths) {
          double seconds = run(starling, workflow, width);
          System.out.printf("result workers=%d width=%d seconds=%.2f tasks_per_s=%.0f%n",
              workers, width, seconds, (width + 1) / seconds);
        }
      } finally {
        pool.forEach(Worker::close);
      }
    }
  }

  private static double run(Starling starling, Workflow workflow, int width) {
    List<Long> items = LongStream.range(0, width).boxed().toList();
    long start = System.nanoTime();
    String name = starling.launch(workflow, "v1", Map.of("a", items));
    Object result = starling.await(name, workflow).get("o0");
    double seconds = (System.nanoTime() - start) / 1e9;
    String expected = LongStream.range(0, width).mapToObj(a -> Long.toString(a + 2))
        .collect(Collectors.joining());
    if (!expected.equals(result)) {
      throw new IllegalStateException("wrong result for width " + width);
    }
    return seconds;
  }
}
