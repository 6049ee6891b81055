package io.starling.propeller.round;

import io.starling.propeller.plugin.TaskResult;

/**
 * The end of one attempt of a node, or of one subtask of a map node, as reported by a plugin.
 *
 * @param subtask the item index within a map node; -1 for a task node
 */
public record TaskEvent(int node, int subtask, int attempt, TaskResult result) {

  /** The end of an attempt of a task node. */
  public TaskEvent(int node, int attempt, TaskResult result) {
    this(node, -1, attempt, result);
  }
}
