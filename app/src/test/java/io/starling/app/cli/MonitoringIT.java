package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/monitoring holds, checked by Prometheus's own tool against a running sandbox: the
 * alerting rules are valid and their unit tests pass ({@code promtool check|test rules}), the
 * sandbox's {@code /metrics} passes {@code promtool check metrics}, and every metric the
 * dashboard and the rules use is one the sandbox exports.
 */
class MonitoringIT {

  private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
  private static final Pattern METRIC = Pattern.compile("\\b(starling_[a-z0-9_]+)");

  @TempDir
  static Path data;
  private static RunningSandbox running;
  private static String scraped;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE",
        "false"));
    running.register(data.resolve("hello.yaml"), Files.readString(
        Path.of("..", "examples", "hello.yaml")));
    CommandLineRun launch = running.cli("launch", "greet", "--watch");
    assertThat(launch.exitCode()).as(launch.err()).isZero();
    try (TestWorker worker = TestWorker.hello(running.sandbox.grpcPort(), "monitoring", 1)) {
      worker.next(Duration.ofSeconds(30));
      scraped = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + running.sandbox.httpPort() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void theAlertingRulesAreValidAndTheirTestsPass() throws Exception {
    assertThat(promtool(null, "check", "rules", "alerts.yaml")).isEqualTo(0);
    assertThat(promtool(null, "test", "rules", "alerts-test.yaml")).isEqualTo(0);
  }

  @Test
  void theExportedMetricsPassPromtool() throws Exception {
    assertThat(promtool(scraped, "check", "metrics")).isEqualTo(0);
  }

  @Test
  void everyMetricTheDashboardAndTheRulesUseIsExported() throws IOException {
    Set<String> exported = new TreeSet<>();
    for (String line : scraped.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        exported.add(family(line.split(" ")[2]));
      }
    }
    Set<String> used = new TreeSet<>();
    for (String file : List.of("dashboard.json", "alerts.yaml")) {
      Matcher names = METRIC.matcher(Files.readString(MONITORING.resolve(file)));
      while (names.find()) {
        used.add(family(names.group(1)));
      }
    }
    assertThat(used).hasSizeGreaterThan(20);
    assertThat(exported).containsAll(used);
  }

  /** A sample's or a family's name without the suffixes of counters and histograms. */
  private static String family(String name) {
    return name.replaceAll("_(bucket|count|sum|created)$", "").replaceAll("_total$", "");
  }

  /** Runs promtool in deploy/monitoring with {@code stdin}; its exit code. */
  private static int promtool(String stdin, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(MONITORING.toFile())
          .redirectErrorStream(true).start();
    } catch (IOException missing) {
      throw new AssertionError("promtool is missing: apt-get install prometheus", missing);
    }
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = process.waitFor();
    if (code != 0) {
      System.out.println("promtool " + String.join(" ", args) + ":\n" + output);
    }
    return code;
  }
}
