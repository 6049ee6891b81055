package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionProgress;
import io.starling.proto.core.ExecutionIdentifier;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WatchExecution end to end: the sandbox's propeller runs a workflow whose first task waits at
 * a gate (a FIFO it reads), so the watch is known to start while the execution runs; the test
 * opens the gate once it has the snapshot.
 */
class WatchIT {

  @TempDir static Path data;
  private static RunningSandbox running;
  private static AdminClient client;
  private static Path gate;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data.resolve("pg"), Map.of(
        "STARLING_DATABASE_DURABLE", "false",
        "STARLING_ADMIN_WATCH_POLL_INTERVAL", "50ms"));
    client = running.client;
    gate = data.resolve("gate");
    assertThat(new ProcessBuilder("mkfifo", gate.toString()).start().waitFor()).isZero();
    running.register(data.resolve("gated.yaml"), """
        project: default
        domain: development
        tasks:
          - name: wait
            version: v1
            type: process
            outputs: {o: string}
            command: [sh, -c, 'read -r word < "$GATE"; printf "{\\"o\\": \\"%%s\\"}" "$word"']
            env: {GATE: "%s"}
          - {name: shout, version: v1, type: echo, inputs: {text: string}, outputs: {text: string}}
        workflows:
          - name: gated
            version: v1
            outputs: {o: string}
            nodes:
              - {id: a, task: wait}
              - {id: b, task: shout, inputs: {text: "{{a.o}}"}}
            bind_outputs: {o: "{{b.text}}"}
        launch_plans:
          - {name: gated, version: v1}
        """.formatted(gate));
  }

  @AfterAll
  static void stop() {
    running.close();
  }


  /** A watch in the background: its messages as they come, and its end. */
  private static final class Stream {
    final BlockingQueue<ExecutionEvent> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> ended;

    Stream(ExecutionIdentifier id) {
      ended = CompletableFuture.runAsync(() -> client.watch(id, events::add));
    }

    ExecutionEvent next() throws InterruptedException {
      ExecutionEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("a message within 30s").isNotNull();
      return event;
    }

    List<ExecutionEvent> untilEnd() throws Exception {
      ended.get(60, TimeUnit.SECONDS);
      List<ExecutionEvent> rest = new ArrayList<>();
      events.drainTo(rest);
      return rest;
    }
  }

  private static String describe(ExecutionEvent event) {
    return (event.hasNode() ? event.getNode().getNodeId() + ":" + event.getNode().getPhase()
        : "execution:" + event.getExecution().getPhase()) + (event.getSnapshot() ? "*" : "");
  }

  @Test
  void aWatchFollowsAnExecutionFromItsSnapshotThroughEachNodeToSucceeded() throws Exception {
    assertThat(running.cli("launch", "gated", "--name", "gated-run").exitCode()).isZero();
    Stream stream = new Stream(RunningSandbox.execution("gated-run"));

    List<ExecutionEvent> snapshot = new ArrayList<>();
    do {
      snapshot.add(stream.next());
    } while (!snapshot.get(snapshot.size() - 1).hasExecution());
    assertThat(snapshot).allMatch(ExecutionEvent::getSnapshot);
    assertThat(snapshot).map(WatchIT::describe).last().isIn("execution:QUEUED*", "execution:RUNNING*");
    assertThat(snapshot).map(WatchIT::describe).doesNotContain("a:SUCCEEDED*", "b:SUCCEEDED*");
    assertThat(snapshot.get(0).getProgress().getNodes()).isEqualTo(2);

    CompletableFuture.runAsync(() -> write(gate, "open\n")).get(60, TimeUnit.SECONDS);
    List<ExecutionEvent> changes = stream.untilEnd();

    assertThat(changes).noneMatch(ExecutionEvent::getSnapshot);
    assertThat(changes).map(WatchIT::describe).contains("a:SUCCEEDED", "b:SUCCEEDED")
        .last().isEqualTo("execution:SUCCEEDED");
    assertThat(changes).map(WatchIT::describe).containsSubsequence("a:SUCCEEDED", "b:SUCCEEDED");
    assertThat(changes.get(changes.size() - 1).getProgress()).isEqualTo(ExecutionProgress.newBuilder()
        .setNodes(2).setNodesEnded(2).setTasks(2).setTasksEnded(2).build());

    Stream late = new Stream(RunningSandbox.execution("gated-run"));
    assertThat(late.untilEnd()).map(WatchIT::describe)
        .containsExactly("a:SUCCEEDED*", "b:SUCCEEDED*", "execution:SUCCEEDED*");
    CommandLineRun watch = running.cli("watch", "gated-run");
    assertThat(watch.exitCode()).as(watch.err()).isZero();
    assertThat(watch.out()).contains("phase      SUCCEEDED").contains("\"open\"");
  }

  @Test
  void watchingAnUnknownOrMalformedExecutionIsRefused() {
    assertThatThrownBy(() -> client.watch(RunningSandbox.execution("never-launched"), event -> {}))
        .isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.status()).isEqualTo(GrpcStatus.NOT_FOUND));
    assertThatThrownBy(() -> client.watch(RunningSandbox.execution("Not Valid"), event -> {}))
        .isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT));
    CommandLineRun watch = running.cli("watch", "never-launched");
    assertThat(watch.exitCode()).isEqualTo(1);
    assertThat(watch.err()).contains("error: NOT_FOUND: execution default/development/never-launched not found");
  }

  private static void write(Path fifo, String text) {
    try {
      Files.writeString(fifo, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
