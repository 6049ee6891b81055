package io.starling.propeller.store;

import io.starling.propeller.round.RoundResult;
import io.starling.propeller.round.Rows;
import io.vertx.core.buffer.Buffer;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One round's rows, encoded for the statements of {@link BatchStatements}: messages serialized,
 * times converted, each statement's rows as {@link Columns}. Built on the worker that decided the
 * round, so a transaction's event loop only concatenates, and a retried transaction encodes
 * nothing again.
 */
final class EncodedRound {

  final long executionId;
  final Columns execution;
  final Columns nodes;
  final Columns attempts;
  final Columns subtaskOutputs;
  final Columns mapsEnded;

  EncodedRound(RoundResult result) {
    Rows.ExecutionRow row = result.execution();
    executionId = row.executionId();
    execution = new Columns(1,
        new Long[] {row.executionId()},
        new Long[] {row.expectedVersion()},
        new Short[] {(short) row.phase()},
        new OffsetDateTime[] {Protos.time(row.startedAt())},
        new OffsetDateTime[] {Protos.time(row.updatedAt())},
        new OffsetDateTime[] {Protos.time(row.endedAt())},
        new Buffer[] {Protos.bytes(row.outputs())},
        new Buffer[] {Protos.bytes(row.error())});
    nodes = nodes(result.nodes());
    attempts = attempts(result.attempts());
    subtaskOutputs = subtaskOutputs(result.subtaskOutputs());
    mapsEnded = mapsEnded(result.mapsEnded());
  }

  int rowCount() {
    return execution.rows() + nodes.rows() + attempts.rows() + subtaskOutputs.rows();
  }

  private static Columns nodes(List<Rows.NodeRow> rows) {
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Short[] phases = new Short[n];
    Integer[] attempts = new Integer[n];
    Integer[] lost = new Integer[n];
    Buffer[] inputs = new Buffer[n];
    Buffer[] outputs = new Buffer[n];
    Buffer[] errors = new Buffer[n];
    Integer[] versions = new Integer[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    Buffer[] subtasks = new Buffer[n];
    Short[] cacheStatuses = new Short[n];
    String[] branchesTaken = new String[n];
    for (int i = 0; i < n; i++) {
      Rows.NodeRow row = rows.get(i);
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      phases[i] = (short) row.phase();
      attempts[i] = row.attempts();
      lost[i] = row.lostAttempts();
      inputs[i] = Protos.bytes(row.inputs());
      outputs[i] = Protos.bytes(row.outputs());
      errors[i] = Protos.bytes(row.error());
      versions[i] = row.version();
      updated[i] = Protos.time(row.updatedAt());
      ended[i] = Protos.time(row.endedAt());
      subtasks[i] = Protos.bytes(row.subtasks());
      cacheStatuses[i] = (short) row.cacheStatus();
      branchesTaken[i] = row.branchTaken();
    }
    return new Columns(n, executions, nodeIds, phases, attempts, lost, inputs, outputs, errors,
        versions, updated, ended, subtasks, cacheStatuses, branchesTaken);
  }

  private static Columns attempts(List<Rows.AttemptRow> rows) {
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Integer[] attempts = new Integer[n];
    Short[] phases = new Short[n];
    Buffer[] errors = new Buffer[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    OffsetDateTime[] ended = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Rows.AttemptRow row = rows.get(i);
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      attempts[i] = row.attempt();
      phases[i] = (short) row.phase();
      errors[i] = Protos.bytes(row.error());
      updated[i] = Protos.time(row.updatedAt());
      ended[i] = Protos.time(row.endedAt());
    }
    return new Columns(n, executions, nodeIds, attempts, phases, errors, updated, ended);
  }

  private static Columns subtaskOutputs(List<Rows.SubtaskOutputRow> rows) {
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    Integer[] subtasks = new Integer[n];
    Buffer[] outputs = new Buffer[n];
    for (int i = 0; i < n; i++) {
      Rows.SubtaskOutputRow row = rows.get(i);
      executions[i] = row.executionId();
      nodeIds[i] = row.nodeId();
      subtasks[i] = row.subtask();
      outputs[i] = Protos.bytes(row.outputs());
    }
    return new Columns(n, executions, nodeIds, subtasks, outputs);
  }

  private static Columns mapsEnded(List<Rows.MapEnded> rows) {
    int n = rows.size();
    Long[] executions = new Long[n];
    String[] nodeIds = new String[n];
    for (int i = 0; i < n; i++) {
      executions[i] = rows.get(i).executionId();
      nodeIds[i] = rows.get(i).nodeId();
    }
    return new Columns(n, executions, nodeIds);
  }
}
