package io.starling.propeller.store;

import io.starling.propeller.round.RoundResult;
import io.starling.propeller.round.Rows;
import io.vertx.core.buffer.Buffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One round's rows with their values in the form the statements of {@link BatchStatements}
 * bind: messages serialized, times converted. Built on the worker that decided the round, so a
 * transaction's event loop only copies references into the statements' arrays, and a
 * transaction retried without a refused round converts nothing again.
 */
final class EncodedRound {

  record Execution(Long id, Long expectedVersion, Short phase, OffsetDateTime startedAt,
      OffsetDateTime updatedAt, OffsetDateTime endedAt, Buffer outputs, Buffer error) {}

  record Node(Long executionId, String nodeId, Short phase, Integer attempts, Integer lost,
      Buffer inputs, Buffer outputs, Buffer error, Integer version, OffsetDateTime updatedAt,
      OffsetDateTime endedAt, Buffer subtasks, Short cacheStatus, String branchTaken) {}

  record Attempt(Long executionId, String nodeId, Integer attempt, Short phase, Buffer error,
      OffsetDateTime updatedAt, OffsetDateTime endedAt) {}

  record SubtaskOutput(Long executionId, String nodeId, Integer subtask, Buffer outputs) {}

  record MapEnded(Long executionId, String nodeId) {}

  final Execution execution;
  final List<Node> nodes;
  final List<Attempt> attempts;
  final List<SubtaskOutput> subtaskOutputs;
  final List<MapEnded> mapsEnded;

  EncodedRound(RoundResult result) {
    Rows.ExecutionRow row = result.execution();
    execution = new Execution(row.executionId(), row.expectedVersion(), (short) row.phase(),
        Protos.time(row.startedAt()), Protos.time(row.updatedAt()), Protos.time(row.endedAt()),
        Protos.bytes(row.outputs()), Protos.bytes(row.error()));
    nodes = new ArrayList<>(result.nodes().size());
    for (Rows.NodeRow node : result.nodes()) {
      nodes.add(new Node(node.executionId(), node.nodeId(), (short) node.phase(), node.attempts(),
          node.lostAttempts(), Protos.bytes(node.inputs()), Protos.bytes(node.outputs()),
          Protos.bytes(node.error()), node.version(), Protos.time(node.updatedAt()),
          Protos.time(node.endedAt()), Protos.bytes(node.subtasks()), (short) node.cacheStatus(),
          node.branchTaken()));
    }
    attempts = new ArrayList<>(result.attempts().size());
    for (Rows.AttemptRow attempt : result.attempts()) {
      attempts.add(new Attempt(attempt.executionId(), attempt.nodeId(), attempt.attempt(),
          (short) attempt.phase(), Protos.bytes(attempt.error()), Protos.time(attempt.updatedAt()),
          Protos.time(attempt.endedAt())));
    }
    subtaskOutputs = new ArrayList<>(result.subtaskOutputs().size());
    for (Rows.SubtaskOutputRow output : result.subtaskOutputs()) {
      subtaskOutputs.add(new SubtaskOutput(output.executionId(), output.nodeId(), output.subtask(),
          Protos.bytes(output.outputs())));
    }
    mapsEnded = new ArrayList<>(result.mapsEnded().size());
    for (Rows.MapEnded ended : result.mapsEnded()) {
      mapsEnded.add(new MapEnded(ended.executionId(), ended.nodeId()));
    }
  }

  long executionId() {
    return execution.id();
  }

  int rowCount() {
    return 1 + nodes.size() + attempts.size() + subtaskOutputs.size();
  }
}
