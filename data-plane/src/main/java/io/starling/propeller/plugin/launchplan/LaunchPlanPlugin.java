package io.starling.propeller.plugin.launchplan;

import io.starling.proto.Phases;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.ExecutionObserver;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs launch-plan nodes: each attempt starts a child execution through
 * {@link ChildExecutions} and ends when the child ends, with the child's outputs or its error.
 * A child that ends on this replica is noticed at once (as an {@link ExecutionObserver});
 * every waiting child is also checked each {@code pollInterval}, for children run elsewhere.
 * Aborting the attempt terminates the child.
 */
public final class LaunchPlanPlugin implements TaskPlugin, ExecutionObserver {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchPlanPlugin.class);

  private final ChildExecutions children;
  private final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
  private final Map<String, Long> childByAttempt = new ConcurrentHashMap<>();

  private record Waiter(TaskAttempt attempt, Consumer<TaskResult> done) {}

  public LaunchPlanPlugin(Vertx vertx, ChildExecutions children, Duration pollInterval) {
    this.children = children;
    vertx.setPeriodic(pollInterval.toMillis(), id -> waiting.keySet().forEach(this::check));
  }

  @Override
  public String type() {
    return NodeSpec.LAUNCH_PLAN_TASK_TYPE;
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
      check(childId);
    });
  }

  @Override
  public void abort(TaskAttempt attempt) {
    Long childId = childByAttempt.remove(attempt.key());
    if (childId != null && waiting.remove(childId) != null) {
      children.terminate(childId, "its parent node " + attempt.nodeId() + " was aborted")
          .onFailure(e -> LOG.atWarn().addKeyValue("execution", attempt.executionName())
              .log("cannot terminate child execution {}: {}", childId, e.toString()));
    }
  }

  @Override
  public void finished(long executionId, WorkflowExecution.Phase phase) {
    if (waiting.containsKey(executionId)) {
      check(executionId);
    }
  }

  private void check(long childId) {
    children.outcome(childId).onSuccess(outcome -> {
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
    });
  }
}
