package io.starling.admin.api;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.starling.admin.registry.Registry;
import io.starling.admin.registry.ScheduledPlan;
import io.starling.admin.store.AttemptRecord;
import io.starling.admin.store.ExecutionRecord;
import io.starling.admin.store.NodeRecord;
import io.starling.admin.store.Stored;
import io.starling.proto.SubtaskStates;
import io.starling.admin.watch.SubtaskTally;
import io.starling.admin.watch.WatchEvent;
import io.starling.admin.watch.WatchProgress;
import io.starling.admin.watch.WatchUpdate;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionPhaseChange;
import io.starling.proto.admin.ExecutionProgress;
import io.starling.proto.admin.NodePhaseChange;
import io.starling.proto.admin.SubtaskCounts;
import io.starling.proto.admin.ExecutionClosure;
import io.starling.proto.admin.ExecutionSpec;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.admin.ScheduleEntry;
import io.starling.proto.admin.Task;
import io.starling.proto.admin.TaskExecutionRecord;
import io.starling.proto.admin.Workflow;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.NodeExecutionIdentifier;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.NodeExecutionIdentifier;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.TaskExecutionIdentifier;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Conversions from stored records to the admin API's messages. */
final class Messages {

  private Messages() {}

  static Task task(Stored stored) {
    return Task.newBuilder().setId(stored.id())
        .setSpec(Registry.parse(TaskTemplate.parser(), stored.spec()))
        .setCreatedAt(time(stored.createdAt())).build();
  }

  static Workflow workflow(Stored stored) {
    return Workflow.newBuilder().setId(stored.id())
        .setSpec(Registry.parse(WorkflowTemplate.parser(), stored.spec()))
        .setClosure(Registry.parse(CompiledWorkflowClosure.parser(), stored.closure()))
        .setCreatedAt(time(stored.createdAt())).build();
  }

  static LaunchPlan launchPlan(Stored stored) {
    LaunchPlan.Builder plan = LaunchPlan.newBuilder().setId(stored.id())
        .setSpec(Registry.parse(LaunchPlanSpec.parser(), stored.spec()))
        .setState(LaunchPlanState.forNumber(stored.state()))
        .setCreatedAt(time(stored.createdAt())).setUpdatedAt(time(stored.updatedAt()));
    if (stored.activatedAt() != null) {
      plan.setActivatedAt(time(stored.activatedAt()));
    }
    return plan.build();
  }

  static ScheduleEntry schedule(ScheduledPlan scheduled) {
    ScheduleEntry.Builder entry = ScheduleEntry.newBuilder()
        .setLaunchPlan(launchPlan(scheduled.plan()));
    scheduled.nextSlots().forEach(slot -> entry.addNextSlots(time(slot)));
    if (scheduled.lastScheduledAt() != null) {
      entry.setLastScheduledAt(time(scheduled.lastScheduledAt()));
    }
    return entry.build();
  }

  static Execution execution(ExecutionRecord record) {
    ExecutionSpec.Builder spec = ExecutionSpec.newBuilder()
        .setLaunchPlan(record.launchPlan()).setWorkflow(record.workflow())
        .setMaxParallelism(record.maxParallelism())
        .setMode(ExecutionSpec.Mode.forNumber(record.mode()));
    if (record.reference() != null) {
      spec.setReferenceExecution(record.reference());
    }
    if (record.scheduledAt() != null) {
      spec.setScheduledAt(time(record.scheduledAt()));
    }
    if (record.parent() != null) {
      spec.setParentNodeExecution(NodeExecutionIdentifier.newBuilder()
          .setExecutionId(record.parent()).setNodeId(record.parentNodeId()));
    }
    ExecutionClosure.Builder closure = ExecutionClosure.newBuilder()
        .setPhase(WorkflowExecution.Phase.forNumber(record.phase()))
        .setCreatedAt(time(record.createdAt()))
        .setUpdatedAt(time(record.updatedAt()));
    if (record.startedAt() != null) {
      closure.setStartedAt(time(record.startedAt()));
      if (record.endedAt() != null) {
        closure.setDuration(Durations.fromMillis(
            record.endedAt().toEpochMilli() - record.startedAt().toEpochMilli()));
      }
    }
    if (record.error() != null) {
      closure.setError(Registry.parse(ExecutionError.parser(), record.error()));
    }
    if (record.abortCause() != null) {
      closure.setAbortCause(record.abortCause());
    }
    return Execution.newBuilder().setId(record.id()).setSpec(spec).setClosure(closure).build();
  }

  static NodeExecutionRecord node(ExecutionIdentifier execution, NodeRecord node) {
    NodeExecutionRecord.Builder record = NodeExecutionRecord.newBuilder()
        .setId(NodeExecutionIdentifier.newBuilder().setExecutionId(execution).setNodeId(node.nodeId()))
        .setPhase(NodeExecution.Phase.forNumber(node.phase()))
        .setAttempts(node.attempts())
        .setUpdatedAt(time(node.updatedAt()));
    if (node.outputs() != null) {
      record.setOutputs(Registry.parse(LiteralMap.parser(), node.outputs()));
    }
    if (node.error() != null) {
      record.setError(Registry.parse(ExecutionError.parser(), node.error()));
    }
    record.setCacheStatusValue(node.cacheStatus());
    if (node.branchTaken() != null) {
      record.setBranchTaken(node.branchTaken());
    }
    if (node.subtasks() != null) {
      record.setSubtasks(SubtaskStates.counts(node.subtasks()));
    }
    if (node.startedAt() != null) {
      record.setStartedAt(time(node.startedAt()));
      if (node.endedAt() != null) {
        record.setDuration(Durations.fromMillis(
            node.endedAt().toEpochMilli() - node.startedAt().toEpochMilli()));
      }
    }
    return record.build();
  }

  static TaskExecutionRecord attempt(NodeExecutionIdentifier node, Identifier taskId,
      AttemptRecord attempt) {
    TaskExecutionRecord.Builder record = TaskExecutionRecord.newBuilder()
        .setId(TaskExecutionIdentifier.newBuilder().setNodeExecutionId(node).setAttempt(attempt.attempt()))
        .setPhase(TaskExecution.Phase.forNumber(attempt.phase()))
        .setStartedAt(time(attempt.startedAt()))
        .setUpdatedAt(time(attempt.updatedAt()));
    if (taskId != null) {
      record.setTaskId(taskId);
    }
    if (attempt.error() != null) {
      record.setError(Registry.parse(ExecutionError.parser(), attempt.error()));
    }
    if (attempt.endedAt() != null) {
      record.setDuration(Durations.fromMillis(
          attempt.endedAt().toEpochMilli() - attempt.startedAt().toEpochMilli()));
    }
    return record.build();
  }

  /** The messages of one watch update, each with the update's progress. */
  static List<ExecutionEvent> events(WatchUpdate update) {
    WatchProgress counts = update.progress();
    ExecutionProgress progress = ExecutionProgress.newBuilder()
        .setNodes(counts.nodes()).setNodesEnded(counts.nodesEnded())
        .setTasks(counts.tasks()).setTasksEnded(counts.tasksEnded()).build();
    List<ExecutionEvent> events = new ArrayList<>(update.events().size());
    for (WatchEvent event : update.events()) {
      ExecutionEvent.Builder message = ExecutionEvent.newBuilder()
          .setSnapshot(update.snapshot()).setProgress(progress);
      if (event instanceof WatchEvent.ExecutionChanged execution) {
        ExecutionPhaseChange.Builder change = ExecutionPhaseChange.newBuilder()
            .setPhase(execution.phase()).setUpdatedAt(time(execution.updatedAt()));
        if (execution.error() != null) {
          change.setError(execution.error());
        }
        message.setExecution(change);
      } else {
        WatchEvent.NodeChanged node = (WatchEvent.NodeChanged) event;
        NodePhaseChange.Builder change = NodePhaseChange.newBuilder()
            .setNodeId(node.nodeId()).setPhase(node.phase()).setAttempts(node.attempts())
            .setUpdatedAt(time(node.updatedAt()));
        if (node.error() != null) {
          change.setError(node.error());
        }
        if (node.subtasks() != null) {
          SubtaskTally tally = node.subtasks();
          change.setSubtasks(SubtaskCounts.newBuilder().setTotal(tally.total())
              .setQueued(tally.queued()).setRunning(tally.running())
              .setSucceeded(tally.succeeded()).setFailed(tally.failed())
              .setRetrying(tally.retrying()).setAborted(tally.aborted()));
        }
        message.setNode(change);
      }
      events.add(message.build());
    }
    return events;
  }

  static Timestamp time(Instant instant) {
    return instant == null ? Timestamp.getDefaultInstance() : Timestamps.fromMillis(instant.toEpochMilli());
  }
}
