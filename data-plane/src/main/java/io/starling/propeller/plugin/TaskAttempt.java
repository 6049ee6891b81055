package io.starling.propeller.plugin;

import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.TaskTemplate;

/**
 * One attempt of the task behind a node, or behind one subtask of a map node, as handed to a
 * plugin. {@code (executionId, nodeId, subtask, attempt)} identifies it; a plugin that is asked
 * to start the same attempt twice (after a restart of the propeller) must not run it twice to
 * completion where it can tell.
 *
 * @param subtask the item index within a map node; -1 for a task node
 */
public record TaskAttempt(
    long executionId,
    String executionName,
    String nodeId,
    int subtask,
    int attempt,
    Identifier taskId,
    TaskTemplate task,
    LiteralMap inputs) {

  /** An attempt of a task node. */
  public TaskAttempt(long executionId, String executionName, String nodeId, int attempt,
      Identifier taskId, TaskTemplate task, LiteralMap inputs) {
    this(executionId, executionName, nodeId, -1, attempt, taskId, task, inputs);
  }

  /** A stable name for logs and for plugins that need one (e.g. a process or pod name). */
  public String key() {
    return executionId + "/" + nodeId + (subtask < 0 ? "" : "[" + subtask + "]") + "/" + attempt;
  }
}
