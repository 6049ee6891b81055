package io.starling.propeller.graph;

import io.starling.proto.core.Identifier;
import io.starling.proto.core.TaskTemplate;
import java.time.Duration;
import java.util.Map;

/**
 * One node of an execution graph as the propeller runs it: the task, its input bindings and
 * its effective retry and timeout settings (node overrides applied). A map node runs the task
 * once per item; its retries and timeout apply to each subtask.
 *
 * @param map how a map node runs its subtasks; null for a task node
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
    Map<String, CompiledBinding> inputs,
    int retries,
    Duration timeout,
    Duration backoff) {

  public boolean isMap() {
    return map != null;
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
