package io.starling.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionProgress;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.grpc.common.GrpcStatus;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WatchExecution over real gRPC on a real PostgreSQL, the test committing the rows a propeller
 * would: the stream reports what the rows say, whichever replica wrote them.
 */
class WatchExecutionIT {

  private static AdminServer admin;

  @BeforeAll
  static void start() {
    admin = new AdminServer();
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static String executionPhase(long rowId, WorkflowExecution.Phase phase) {
    return "UPDATE executions SET phase = " + phase.getNumber()
        + ", version = version + 1, updated_at = now() WHERE id = " + rowId;
  }

  private static String node(long rowId, String nodeId, NodeExecution.Phase phase, int version) {
    return "INSERT INTO node_executions (execution_id, node_id, phase, attempts, version, updated_at)"
        + " VALUES (" + rowId + ", '" + nodeId + "', " + phase.getNumber() + ", 1, " + version
        + ", now()) ON CONFLICT (execution_id, node_id) DO UPDATE SET phase = excluded.phase,"
        + " version = excluded.version, updated_at = excluded.updated_at";
  }

  /** Rows for nodes n0000, n0001, … in one statement. */
  private static String nodes(long rowId, int count, NodeExecution.Phase phase, int version) {
    return "INSERT INTO node_executions (execution_id, node_id, phase, attempts, version, updated_at)"
        + " SELECT " + rowId + ", 'n' || lpad(i::text, 4, '0'), " + phase.getNumber() + ", 1, "
        + version + ", now() FROM generate_series(0, " + (count - 1) + ") AS i"
        + " ON CONFLICT (execution_id, node_id) DO UPDATE SET phase = excluded.phase,"
        + " version = excluded.version, updated_at = excluded.updated_at";
  }

  /** "a:RUNNING", "execution:SUCCEEDED", with a * for snapshot messages. */
  private static List<String> describe(List<ExecutionEvent> events) {
    return events.stream().map(event -> (event.hasNode()
        ? event.getNode().getNodeId() + ":" + event.getNode().getPhase()
        : "execution:" + event.getExecution().getPhase()) + (event.getSnapshot() ? "*" : ""))
        .toList();
  }

  @Test
  void aWatchGetsTheSnapshotThenEachChangeAndCompletesAfterTheTerminalPhase() throws Exception {
    ExecutionIdentifier id = admin.launch("watched", 1);
    long row = admin.rowId(id);
    admin.commit(executionPhase(row, WorkflowExecution.Phase.RUNNING),
        node(row, "a", NodeExecution.Phase.RUNNING, 1));

    AdminServer.Watch watch = admin.watch(id);

    assertThat(describe(watch.next(2))).containsExactly("a:RUNNING*", "execution:RUNNING*");
    admin.commit(executionPhase(row, WorkflowExecution.Phase.RUNNING),
        node(row, "a", NodeExecution.Phase.SUCCEEDED, 2), node(row, "b", NodeExecution.Phase.RUNNING, 1));
    assertThat(describe(watch.next(2))).containsExactly("a:SUCCEEDED", "b:RUNNING");
    admin.commit(executionPhase(row, WorkflowExecution.Phase.SUCCEEDED),
        node(row, "b", NodeExecution.Phase.SUCCEEDED, 2));
    List<ExecutionEvent> last = watch.next(2);
    assertThat(describe(last)).containsExactly("b:SUCCEEDED", "execution:SUCCEEDED");
    assertThat(last.get(1).getProgress()).isEqualTo(ExecutionProgress.newBuilder()
        .setNodes(2).setNodesEnded(2).setTasks(2).setTasksEnded(2).build());
    assertThat(watch.end().status()).isEqualTo(GrpcStatus.OK);
    assertThat(watch.rest()).isEmpty();
  }

  @Test
  void aClientThatFallsBehindGetsAFreshSnapshotInsteadOfTheChangesItMissed() throws Exception {
    ExecutionIdentifier id = admin.launch("slow-reader", 1);
    long row = admin.rowId(id);
    admin.commit(executionPhase(row, WorkflowExecution.Phase.RUNNING),
        node(row, "a", NodeExecution.Phase.RUNNING, 1));
    AdminServer.Watch watch = admin.pausedWatch(id);
    watch.fetch(2);
    assertThat(describe(watch.next(2))).containsExactly("a:RUNNING*", "execution:RUNNING*");

    // A change larger than the stream's flow-control window: the server sends all of it, the
    // client takes one message, so the stream stays backed up.
    admin.commit(executionPhase(row, WorkflowExecution.Phase.RUNNING),
        nodes(row, 5000, NodeExecution.Phase.RUNNING, 1));
    watch.fetch(1);
    assertThat(describe(watch.next(1))).containsExactly("n0000:RUNNING");
    // What changes now finds the client behind: not queued, and the end waits for the client.
    admin.commit(executionPhase(row, WorkflowExecution.Phase.SUCCEEDED),
        node(row, "a", NodeExecution.Phase.SUCCEEDED, 2),
        nodes(row, 5000, NodeExecution.Phase.SUCCEEDED, 2));
    admin.awaitCounter("starling_admin_watch_resyncs_total", 1);
    watch.resume();

    assertThat(watch.end().status()).isEqualTo(GrpcStatus.OK);
    List<String> rest = describe(watch.rest());
    assertThat(rest).hasSize(4999 + 5002);
    assertThat(rest.subList(0, 4999)).allMatch(event -> event.endsWith(":RUNNING"));
    assertThat(rest.subList(4999, rest.size())).allMatch(event -> event.endsWith("SUCCEEDED*"))
        .startsWith("a:SUCCEEDED*", "n0000:SUCCEEDED*").endsWith("execution:SUCCEEDED*");
  }

  @Test
  void aWatchOfAFinishedExecutionGetsTheSnapshotWithTheErrorAndCompletes() throws Exception {
    ExecutionIdentifier id = admin.launch("failed-already", 1);
    long row = admin.rowId(id);
    ExecutionError error = ExecutionError.newBuilder().setCode("NodeFailed").setMessage("node a failed")
        .setKind(ExecutionError.Kind.USER).build();
    String bytes = "'\\x" + HexFormat.of().formatHex(error.toByteArray()) + "'::bytea";
    admin.commit(node(row, "a", NodeExecution.Phase.FAILED, 3),
        "UPDATE node_executions SET error = " + bytes + " WHERE execution_id = " + row,
        executionPhase(row, WorkflowExecution.Phase.FAILED),
        "UPDATE executions SET error = " + bytes + " WHERE id = " + row);

    AdminServer.Watch watch = admin.watch(id);

    List<ExecutionEvent> snapshot = watch.next(2);
    assertThat(describe(snapshot)).containsExactly("a:FAILED*", "execution:FAILED*");
    assertThat(snapshot.get(0).getNode().getError()).isEqualTo(error);
    assertThat(snapshot.get(1).getExecution().getError()).isEqualTo(error);
    assertThat(snapshot.get(1).getProgress().getNodesEnded()).isEqualTo(1);
    assertThat(watch.end().status()).isEqualTo(GrpcStatus.OK);
  }

  @Test
  void watchesOfOneExecutionShareOnePollerThatStopsWhenTheLastIsCancelled() throws Exception {
    ExecutionIdentifier id = admin.launch("shared", 1);
    long row = admin.rowId(id);
    AdminServer.Watch first = admin.watch(id);
    AdminServer.Watch second = admin.watch(id);
    assertThat(describe(first.next(1))).containsExactly("execution:QUEUED*");
    assertThat(describe(second.next(1))).containsExactly("execution:QUEUED*");

    assertThat(admin.gauge("starling_admin_watch_streams")).isEqualTo(2);
    assertThat(admin.gauge("starling_admin_watch_executions")).isEqualTo(1);
    admin.commit(executionPhase(row, WorkflowExecution.Phase.RUNNING));
    assertThat(describe(first.next(1))).containsExactly("execution:RUNNING");
    assertThat(describe(second.next(1))).containsExactly("execution:RUNNING");

    first.cancel();
    second.cancel();
    // A call on the same connection is handled after the resets that went before it.
    admin.call(AdminServiceGrpcClient.GetExecution, ExecutionGetRequest.newBuilder().setId(id).build());

    assertThat(admin.gauge("starling_admin_watch_streams")).isZero();
    assertThat(admin.gauge("starling_admin_watch_executions")).isZero();
  }

  @Test
  void unknownAndMalformedExecutionsAreRefusedBeforeAnyMessage() throws Exception {
    AdminServer.Watch unknown = admin.watch(AdminServer.executionId("no-such-execution"));
    AdminServer.Watch malformed = admin.watch(AdminServer.executionId("Not A Name"));
    AdminServer.Watch empty = admin.watch(ExecutionIdentifier.getDefaultInstance());

    assertThat(unknown.end()).isEqualTo(
        new Refusal(GrpcStatus.NOT_FOUND, "execution proj/dev/no-such-execution not found"));
    assertThat(malformed.end().status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(empty.end().status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(unknown.rest()).isEmpty();
    assertThat(malformed.rest()).isEmpty();
  }
}
