package io.starling.admin.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.admin.store.WatchStore.ExecutionRow;
import io.starling.admin.store.WatchStore.NodeRow;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionViewTest {

  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private static final int RUNNING = WorkflowExecution.Phase.RUNNING_VALUE;

  private static ExecutionRow execution(int phase, long version) {
    return new ExecutionRow(phase, version, T, null);
  }

  private static NodeRow node(String id, NodeExecution.Phase phase, int version) {
    return new NodeRow(id, phase.getNumber(), 1, version, T, null, false, null);
  }

  private static byte[] subtasks(NodeExecution.Phase... phases) {
    byte[] packedPhases = new byte[phases.length];
    for (int i = 0; i < phases.length; i++) {
      packedPhases[i] = (byte) phases[i].getNumber();
    }
    return SubtaskStates.pack(packedPhases, new byte[phases.length], null);
  }

  private static List<String> describe(List<WatchEvent> events) {
    return events.stream().map(event -> event instanceof WatchEvent.NodeChanged node
        ? node.nodeId() + ":" + node.phase() : "execution:" + ((WatchEvent.ExecutionChanged) event).phase())
        .toList();
  }

  @Test
  void theFirstReadReportsEveryNodeInIdOrderThenTheExecution() {
    ExecutionView view = new ExecutionView(3);

    List<WatchEvent> first = view.apply(execution(RUNNING, 4), List.of(
        node("b", NodeExecution.Phase.RUNNING, 1), node("a", NodeExecution.Phase.SUCCEEDED, 2)));

    assertThat(describe(first)).containsExactly("a:SUCCEEDED", "b:RUNNING", "execution:RUNNING");
    assertThat(view.snapshot()).isEqualTo(first);
    assertThat(view.progress()).isEqualTo(new WatchProgress(3, 1, 3, 1));
  }

  @Test
  void onlyNodesWhoseVersionMovedAreReportedAndTheExecutionOnlyWhenItsPhaseChanged() {
    ExecutionView view = new ExecutionView(2);
    view.apply(execution(RUNNING, 1), List.of(node("a", NodeExecution.Phase.RUNNING, 1)));

    List<WatchEvent> second = view.apply(execution(RUNNING, 2), List.of(
        node("a", NodeExecution.Phase.RUNNING, 1), node("b", NodeExecution.Phase.RUNNING, 1)));
    List<WatchEvent> third = view.apply(execution(WorkflowExecution.Phase.SUCCEEDED_VALUE, 3),
        List.of(node("a", NodeExecution.Phase.SUCCEEDED, 2), node("b", NodeExecution.Phase.SUCCEEDED, 2)));

    assertThat(describe(second)).containsExactly("b:RUNNING");
    assertThat(describe(third)).containsExactly("a:SUCCEEDED", "b:SUCCEEDED", "execution:SUCCEEDED");
    assertThat(view.isTerminal()).isTrue();
    assertThat(view.progress()).isEqualTo(new WatchProgress(2, 2, 2, 2));
  }

  @Test
  void aNodeRowThatCommittedLateIsReportedWhateverItsTimestamp() {
    ExecutionView view = new ExecutionView(2);
    view.apply(execution(RUNNING, 1), List.of(
        new NodeRow("a", NodeExecution.Phase.RUNNING_VALUE, 1, 1, T.plusSeconds(10), null, false, null)));

    List<WatchEvent> late = view.apply(execution(RUNNING, 2), List.of(
        new NodeRow("a", NodeExecution.Phase.RUNNING_VALUE, 1, 1, T.plusSeconds(10), null, false, null),
        new NodeRow("b", NodeExecution.Phase.RUNNING_VALUE, 1, 1, T, null, false, null)));

    assertThat(describe(late)).containsExactly("b:RUNNING");
  }

  @Test
  void anUnchangedExecutionVersionMeansNothingToRead() {
    ExecutionView view = new ExecutionView(1);
    view.apply(execution(RUNNING, 7), List.of());

    assertThat(view.isUnchanged(execution(RUNNING, 7))).isTrue();
    assertThat(view.isUnchanged(execution(RUNNING, 8))).isFalse();
  }

  @Test
  void aMapNodeCountsAsItsSubtasksAndKeepsThemWhenTheyAreNotReadAgain() {
    ExecutionView view = new ExecutionView(2);
    byte[] packed = subtasks(NodeExecution.Phase.SUCCEEDED, NodeExecution.Phase.RUNNING,
        NodeExecution.Phase.FAILED, NodeExecution.Phase.UNDEFINED);
    view.apply(execution(RUNNING, 1), List.of(node("a", NodeExecution.Phase.SUCCEEDED, 2),
        new NodeRow("m", NodeExecution.Phase.RUNNING_VALUE, 1, 3, T, null, true, packed)));

    assertThat(view.mapVersions()).containsEntry("m", 3);
    assertThat(view.progress()).isEqualTo(new WatchProgress(2, 1, 5, 3));

    List<WatchEvent> retried = view.apply(execution(RUNNING, 2), List.of(
        node("a", NodeExecution.Phase.SUCCEEDED, 2),
        new NodeRow("m", NodeExecution.Phase.RUNNING_VALUE, 2, 3, T, null, true, null)));
    assertThat(retried).isEmpty();

    WatchEvent.NodeChanged map = (WatchEvent.NodeChanged) view.snapshot().get(1);
    assertThat(map.subtasks()).isEqualTo(new SubtaskTally(4, 1, 1, 1, 1, 0, 0));
  }

  @Test
  void aFailedExecutionCarriesItsErrorAndRecoveredNodesCountAsEnded() {
    ExecutionView view = new ExecutionView(2);
    ExecutionError error = ExecutionError.newBuilder().setCode("NodeFailed").setMessage("b failed").build();

    List<WatchEvent> events = view.apply(
        new ExecutionRow(WorkflowExecution.Phase.FAILED_VALUE, 5, T, error.toByteArray()),
        List.of(node("a", NodeExecution.Phase.RECOVERED, 1),
            new NodeRow("b", NodeExecution.Phase.FAILED_VALUE, 3, 4, T, error.toByteArray(), false, null)));

    assertThat(((WatchEvent.NodeChanged) events.get(1)).error()).isEqualTo(error);
    assertThat(((WatchEvent.ExecutionChanged) events.get(2)).error()).isEqualTo(error);
    assertThat(view.progress()).isEqualTo(new WatchProgress(2, 2, 2, 2));
    assertThat(new WatchUpdate(false, events, view.progress()).isFinal()).isTrue();
  }
}
