package io.starling.propeller.plugin.process;

import io.starling.proto.LiteralJson;
import io.starling.proto.core.Container;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code process}: runs {@code container.command} as a local process, the stand-in for a
 * container. The inputs go to stdin as one JSON object (see {@link LiteralJson}); the process
 * writes its outputs to stdout as one JSON object and exits 0. A non-zero exit fails the attempt
 * with the tail of stderr; stdout that is not a JSON object with the declared outputs fails it
 * with what was wrong.
 *
 * <p>Processes run on a bounded pool of threads of this plugin ({@code max-concurrent}), never
 * on the propeller's workers or event loops. Abort kills the process.
 */
public final class ProcessPlugin implements TaskPlugin {

  private final ProcessOptions options;
  private final ExecutorService pool;
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> aborted = new ConcurrentHashMap<>();

  public ProcessPlugin(ProcessOptions options) {
    this.options = options;
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(options.maxConcurrent(), r -> {
      Thread thread = new Thread(r, "process-plugin-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public String type() {
    return "process";
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    pool.execute(() -> {
      TaskResult result = run(attempt);
      if (aborted.remove(attempt.key()) == null) {
        done.accept(result);
      }
    });
  }

  @Override
  public void abort(TaskAttempt attempt) {
    aborted.put(attempt.key(), Boolean.TRUE);
    Process process = running.get(attempt.key());
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    running.values().forEach(Process::destroyForcibly);
  }

  private TaskResult run(TaskAttempt attempt) {
    Container container = attempt.task().getContainer();
    if (container.getCommandCount() == 0) {
      return TaskResult.userError("ProcessConfig", "process task has no container.command");
    }
    Path stderr = null;
    try {
      stderr = Files.createTempFile("starling-task-", ".stderr");
      ProcessBuilder builder = new ProcessBuilder(container.getCommandList())
          .redirectError(stderr.toFile());
      if (!container.getWorkingDir().isEmpty()) {
        builder.directory(Path.of(container.getWorkingDir()).toFile());
      }
      builder.environment().putAll(container.getEnvMap());
      builder.environment().put("STARLING_EXECUTION", attempt.executionName());
      builder.environment().put("STARLING_NODE", attempt.nodeId());
      builder.environment().put("STARLING_ATTEMPT", Integer.toString(attempt.attempt()));
      if (attempt.subtask() >= 0) {
        builder.environment().put("STARLING_SUBTASK", Integer.toString(attempt.subtask()));
      }
      if (aborted.containsKey(attempt.key())) {
        return TaskResult.systemError("Aborted", "aborted before it started");
      }
      Process process = builder.start();
      running.put(attempt.key(), process);
      try {
        writeInputs(process, attempt);
        byte[] stdout = readLimited(process.getInputStream());
        int exit = process.waitFor();
        if (exit != 0) {
          return TaskResult.userError("ProcessExit",
              "exited with code " + exit + ": " + tail(stderr));
        }
        return outputs(stdout, attempt);
      } finally {
        running.remove(attempt.key());
        process.destroyForcibly();
      }
    } catch (IOException e) {
      return TaskResult.userError("ProcessStart",
          "cannot run " + container.getCommand(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TaskResult.systemError("Interrupted", "the propeller is shutting down");
    } finally {
      if (stderr != null) {
        try {
          Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private static void writeInputs(Process process, TaskAttempt attempt) {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(LiteralJson.encode(attempt.inputs()).encode().getBytes(StandardCharsets.UTF_8));
      stdin.write('\n');
    } catch (IOException e) {
      // The process may exit without reading its inputs; its exit code tells what happened.
    }
  }

  private byte[] readLimited(InputStream stdout) throws IOException {
    byte[] bytes = stdout.readNBytes(options.maxOutputBytes() + 1);
    if (bytes.length > options.maxOutputBytes()) {
      throw new IOException("stdout is larger than " + options.maxOutputBytes() + " bytes");
    }
    return bytes;
  }

  private TaskResult outputs(byte[] stdout, TaskAttempt attempt) {
    String text = new String(stdout, StandardCharsets.UTF_8).strip();
    JsonObject json;
    try {
      json = new JsonObject(text.isEmpty() ? "{}" : text);
    } catch (DecodeException | ClassCastException e) {
      return TaskResult.userError("ProcessOutput",
          "stdout is not a JSON object: " + abbreviate(text));
    }
    try {
      return TaskResult.succeeded(
          LiteralJson.decode(json, attempt.task().getInterface().getOutputsMap()));
    } catch (IllegalArgumentException e) {
      return TaskResult.userError("ProcessOutput", "bad outputs on stdout: " + e.getMessage());
    }
  }

  private String tail(Path stderr) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(stderr.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(length, options.stderrTailBytes());
      byte[] bytes = new byte[size];
      file.seek(length - size);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "(no stderr)" : text;
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
