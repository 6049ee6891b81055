package io.starling.propeller.plugin.launchplan;

import io.starling.proto.Phases;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.ExecutionObserver;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import io.starling.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs launch-plan nodes: each attempt starts a child execution through
 * {@link ChildExecutions} and ends when the child ends, with the child's outputs or its error.
 * A child that ends on this replica is noticed at once (as an {@link ExecutionObserver}); the
 * children still waited for are also checked every {@code pollInterval}, all in one query, for
 * children run elsewhere. Aborting the attempt terminates the child.
 *
 * <p>The child outlives the replica that started it, so the plugin {@link #reattaches}: a new
 * owner of the parent starts the same attempt again, which finds the child by its name, and a
 * replica that lets go of the parent ({@link #detach}) stops waiting without stopping the child.
 */
public final class LaunchPlanPlugin implements TaskPlugin, ExecutionObserver {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchPlanPlugin.class);

  private final ChildExecutions children;
  private final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
  private final Map<String, Long> childByAttempt = new ConcurrentHashMap<>();
  private final TimeSource.Timer poll;

  private record Waiter(TaskAttempt attempt, Consumer<TaskResult> done) {}

  public LaunchPlanPlugin(TimeSource time, ChildExecutions children, Duration pollInterval) {
    this.children = children;
    this.poll = time.periodic(pollInterval, this::checkAll);
  }

  @Override
  public String type() {
    return NodeSpec.LAUNCH_PLAN_TASK_TYPE;
  }

  @Override
  public boolean reattaches() {
    return true;
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    ChildExecutions.Launch launch = new ChildExecutions.Launch(attempt.executionId(),
        attempt.executionName(), attempt.nodeId(), attempt.attempt(), attempt.taskId(),
        attempt.inputs());
    children.start(launch).onComplete(started -> {
      if (started.failed()) {
        Throwable cause = started.cause();
        done.accept(cause instanceof IllegalArgumentException
            ? TaskResult.userError("ChildExecution", cause.getMessage())
            : TaskResult.systemError("ChildExecution", "cannot start the child execution: "
                + cause.getMessage()));
        return;
      }
      long childId = started.result();
      childByAttempt.put(attempt.key(), childId);
      waiting.put(childId, new Waiter(attempt, done));
      check(List.of(childId));
    });
  }

  @Override
  public void abort(TaskAttempt attempt) {
    Long childId = forget(attempt);
    if (childId != null) {
      children.terminate(childId, "its parent node " + attempt.nodeId() + " was aborted")
          .onFailure(e -> LOG.atWarn().addKeyValue("execution", attempt.executionName())
              .log("cannot terminate child execution {}: {}", childId, e.toString()));
    }
  }

  @Override
  public void detach(TaskAttempt attempt) {
    forget(attempt);
  }

  @Override
  public void close() {
    poll.cancel();
  }

  @Override
  public void finished(long executionId, WorkflowExecution.Phase phase) {
    if (waiting.containsKey(executionId)) {
      check(List.of(executionId));
    }
  }

  /** Stops waiting for the attempt's child; returns the child, or null if none was waited for. */
  private Long forget(TaskAttempt attempt) {
    Long childId = childByAttempt.remove(attempt.key());
    return childId != null && waiting.remove(childId) != null ? childId : null;
  }

  private void checkAll() {
    if (!waiting.isEmpty()) {
      check(new ArrayList<>(waiting.keySet()));
    }
  }

  private void check(List<Long> childIds) {
    children.outcomes(childIds).onSuccess(outcomes -> outcomes.forEach(this::settle))
        .onFailure(e -> LOG.atDebug().log("cannot check child executions: {}", e.toString()));
  }

  private void settle(long childId, ChildExecutions.Outcome outcome) {
    if (!Phases.isTerminal(outcome.phase())) {
      return;
    }
    Waiter waiter = waiting.remove(childId);
    if (waiter == null) {
      return;
    }
    childByAttempt.remove(waiter.attempt().key());
    if (outcome.phase() == WorkflowExecution.Phase.SUCCEEDED) {
      waiter.done().accept(TaskResult.succeeded(outcome.outputs()));
    } else {
      String why = outcome.error() != null ? ": " + outcome.error().getMessage() : "";
      waiter.done().accept(TaskResult.userError("ChildExecution",
          "child execution " + outcome.name() + " " + outcome.phase() + why));
    }
  }
}
