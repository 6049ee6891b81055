package io.starling.benchmarks;

import io.starling.app.cli.AdminClient;
import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.proto.core.ExecutionIdentifier;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end harness: a sandbox on embedded PostgreSQL (durable commits), N executions of
 * one {@link Workload} shape of {@code noop} tasks, launched over gRPC.
 *
 * Prints the wall time from the first CreateExecution to the last terminal phase seen by a
 * client, the executions/s and node (or subtask) completions/s, and checks through the API that
 * every node and subtask of every execution is SUCCEEDED in the database.
 *
 * <p>{@code HARNESS_WARMUP=R} first runs the same N executions R times unmeasured: on a cold
 * JVM of a small machine the JIT compilers take a large share of the CPUs for the first
 * seconds, so the measured run then shows the platform rather than its warm-up.
 *
 * <pre>java -cp 'benchmarks/target/*:benchmarks/target/lib/*' io.starling.benchmarks.LoadHarness fan 1 1000</pre>
 */
public final class LoadHarness {

  private LoadHarness() {}

  public static void main(String[] args) throws Exception {
    int executions = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Workload workload = new Workload(args.length > 0 ? args[0] : "fan", nodes,
        "run" + ProcessHandle.current().pid());
    PrintStream out = System.out;
    Path data = Files.createTempDirectory("starling-bench");
    Map<String, String> environment = SandboxSettings.of(data);
    environment.putIfAbsent("STARLING_ADMIN_MAX_PARALLELISM", "0");
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment));
        AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      workload.register(client);
      List<AdminClient> clients = List.of(client);
      int warmups = Integer.parseInt(System.getenv().getOrDefault("HARNESS_WARMUP", "0"));
      for (int round = 0; round < warmups; round++) {
        long warmupStart = System.nanoTime();
        workload.launch(clients, "w" + round + "-", executions);
        workload.awaitNoneActive(client);
        out.printf("warm-up %d of %d: %.3fs%n", round + 1, warmups,
            (System.nanoTime() - warmupStart) / 1e9);
      }
      CpuMeter cpu = new CpuMeter(data);
      long start = System.nanoTime();
      List<ExecutionIdentifier> ids = workload.launch(clients, "e", executions);
      double launched = (System.nanoTime() - start) / 1e9;
      workload.awaitNoneActive(client);
      double seconds = (System.nanoTime() - start) / 1e9;
      CpuMeter.Used used = cpu.used();

      long succeeded = workload.succeeded(client, ids);
      long expected = workload.completions(executions);
      out.printf("shape=%s executions=%d %s/execution=%d wall=%.3fs executions/s=%.1f"
              + " completions/s=%.0f heap-used=%dMB (all launched after %.3fs)%n",
          workload.shape(), executions, workload.unit(), expected / executions, seconds,
          executions / seconds, expected / seconds, usedHeapMegabytes(), launched);
      out.printf("cpu: jvm=%.2fs postgresql=%.2fs, per completion jvm=%.0fus postgresql=%.0fus"
              + " (both include the harness's client and polling)%n",
          used.jvmSeconds(), used.postgresSeconds(), used.jvmSeconds() * 1e6 / expected,
          used.postgresSeconds() * 1e6 / expected);
      out.printf("%s SUCCEEDED in PostgreSQL: %d of %d%n", workload.unit(), succeeded, expected);
      String metricFilter = System.getenv("HARNESS_METRICS");
      if (metricFilter != null) {
        printMetrics(sandbox.httpPort(), metricFilter, out);
      }
      if (succeeded != expected) {
        System.exit(1);
      }
    }
  }

  /** Prints the sandbox's metric lines that contain {@code filter}, e.g. a method name. */
  private static void printMetrics(int httpPort, String filter, PrintStream out) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String metrics = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    metrics.lines().filter(line -> line.contains(filter)).forEach(out::println);
  }

  private static long usedHeapMegabytes() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
  }

}
