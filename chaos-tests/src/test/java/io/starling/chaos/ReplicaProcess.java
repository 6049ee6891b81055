package io.starling.chaos;

import io.starling.app.JvmOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code starling serve} process of a chaos test: started from the test's class path with
 * its own configuration file, its output kept in a log file, and the signals a test sends it:
 * kill -9, SIGSTOP and SIGCONT, SIGTERM.
 */
final class ReplicaProcess {

  private final String name;
  private final Path config;
  private final Path log;
  private final List<String> prefix;
  /** Where the replica is reached: 127.0.0.1, or its network namespace's address. */
  final String host;
  final int grpcPort;
  final int httpPort;
  final int clusterPort;
  /** The last lines of output, which a failure to start shows (CI keeps no log files). */
  private static final int TAIL_LINES = 30;
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private Process process;
  private CompletableFuture<Void> serving;
  private CompletableFuture<Void> exited;

  /** @param prefix runs the command elsewhere, e.g. {@code ip netns exec NAME}; or empty */
  ReplicaProcess(String name, Path config, Path log, List<String> prefix, String host,
      int grpcPort, int httpPort, int clusterPort) {
    this.name = name;
    this.config = config;
    this.log = log;
    this.prefix = prefix;
    this.host = host;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /** Starts the process; {@link #awaitServing} waits until it serves. */
  ReplicaProcess start() throws IOException {
    List<String> command = new java.util.ArrayList<>(prefix);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(JvmOptions.HAZELCAST_ACCESS);
    command.addAll(List.of(
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), "io.starling.app.Starling",
        "serve", "--config", config.toString()));
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    serving = new CompletableFuture<>();
    exited = process.onExit().thenApply(ended -> null);
    Thread pump = new Thread(this::pump, name + "-output");
    pump.setDaemon(true);
    pump.start();
    return this;
  }

  private void pump() {
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter file = new PrintWriter(Files.newBufferedWriter(log,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        file.println(line);
        file.flush();
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
        if (line.startsWith("replica serving gRPC")) {
          serving.complete(null);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    serving.completeExceptionally(new IllegalStateException(name + " ended before it served;"
        + " see " + log + "; its last lines:\n  " + String.join("\n  ", tail)));
  }

  void awaitServing() throws Exception {
    serving.get(90, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** kill -9: no shutdown hook, no handover. */
  void kill() throws Exception {
    process.destroyForcibly();
    exited.get(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the graceful stop; returns the exit code. */
  int terminate() throws Exception {
    process.destroy();
    exited.get(90, TimeUnit.SECONDS);
    return process.exitValue();
  }

  void pause() throws Exception {
    signal("STOP");
  }

  void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + (process == null ? "-" : process.pid()) + ", gRPC " + grpcPort + ")";
  }
}
