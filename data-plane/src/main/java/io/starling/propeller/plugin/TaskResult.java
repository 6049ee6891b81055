package io.starling.propeller.plugin;

import io.starling.proto.core.CacheStatus;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;

/** How an attempt ended: outputs, or an error. */
public sealed interface TaskResult {

  /** Outputs, and whether they came from the task output cache. */
  record Succeeded(LiteralMap outputs, CacheStatus cacheStatus) implements TaskResult {

    public Succeeded(LiteralMap outputs) {
      this(outputs, CacheStatus.CACHE_DISABLED);
    }
  }

  record Failed(ExecutionError error) implements TaskResult {}

  static TaskResult succeeded(LiteralMap outputs) {
    return new Succeeded(outputs);
  }

  /** A failure of the task's own code: retried while the task has retries left. */
  static TaskResult userError(String code, String message) {
    return new Failed(Errors.user(code, message));
  }

  /** A failure of the platform around the task: retried too. */
  static TaskResult systemError(String code, String message) {
    return new Failed(Errors.system(code, message));
  }
}
