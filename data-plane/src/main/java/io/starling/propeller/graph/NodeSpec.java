package io.starling.propeller.graph;

import io.starling.proto.core.Identifier;
import io.starling.proto.core.TaskTemplate;
import java.time.Duration;
import java.util.Map;

/**
 * One node of an execution graph as the propeller runs it. Four kinds:
 * <ul>
 *   <li>a task node: the task, its input bindings, its effective retries and timeout (node
 *       overrides applied); a launch-plan node is one whose task has type
 *       {@link #LAUNCH_PLAN_TASK_TYPE} and whose id is the launch plan's;
 *   <li>a map node ({@code map} set): the task runs once per item; retries and timeout apply
 *       to each subtask;
 *   <li>a branch node ({@code branch} set): {@code inputs} are what its conditions compare;
 *       once started it runs as the case it took;
 *   <li>a sub-workflow's output node (no task, no branch): the sub-workflow's nodes are
 *       inlined as {@code <node>.<inner node>} and this node, waiting for them, succeeds at
 *       once with {@code inputs} (the sub-workflow's output bindings) as its outputs.
 * </ul>
 *
 * @param map how a map node runs its subtasks; null otherwise
 * @param branch the cases of a branch node; null otherwise
 * @param retries attempts after the first one
 * @param timeout per attempt; {@link Duration#ZERO} means none
 * @param backoff delay before the first retry, doubled for each further one
 */
public record NodeSpec(
    int index,
    String id,
    Identifier taskId,
    TaskTemplate task,
    MapSpec map,
    BranchSpec branch,
    Map<String, CompiledBinding> inputs,
    int retries,
    Duration timeout,
    Duration backoff) {

  /** The task type of launch-plan nodes, run by the launch-plan plugin. */
  public static final String LAUNCH_PLAN_TASK_TYPE = "launch_plan";

  public boolean isMap() {
    return map != null;
  }

  public boolean isBranch() {
    return branch != null;
  }

  /** The output node of an inlined sub-workflow: nothing to run. */
  public boolean isSubWorkflowOutputs() {
    return task == null && branch == null;
  }

  /** The wait before the next attempt: doubles per retry from the backoff, capped at ten minutes. */
  public Duration retryDelay(int attemptsSoFar) {
    if (backoff.isZero()) {
      return Duration.ZERO;
    }
    long factor = 1L << Math.min(20, attemptsSoFar - 1);
    return Duration.ofMillis(Math.min(backoff.toMillis() * factor, 600_000));
  }
}
