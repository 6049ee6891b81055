package io.starling.propeller.plugin;

import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.TaskTemplate;

/**
 * One attempt of the task behind a node, as handed to a plugin. {@code (executionId, nodeId,
 * attempt)} identifies it; a plugin that is asked to start the same attempt twice (after a
 * restart of the propeller) must not run it twice to completion where it can tell.
 */
public record TaskAttempt(
    long executionId,
    String executionName,
    String nodeId,
    int attempt,
    Identifier taskId,
    TaskTemplate task,
    LiteralMap inputs) {

  /** A stable name for logs and for plugins that need one (e.g. a process or pod name). */
  public String key() {
    return executionId + "/" + nodeId + "/" + attempt;
  }
}
