package io.starling.propeller.plugin.builtin;

import io.starling.proto.core.LiteralMap;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import java.util.function.Consumer;

/** {@code noop}: succeeds at once with no outputs. The unit of work of the benchmarks. */
public final class NoopPlugin implements TaskPlugin {

  @Override
  public String type() {
    return "noop";
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    done.accept(TaskResult.succeeded(LiteralMap.getDefaultInstance()));
  }

  @Override
  public void abort(TaskAttempt attempt) {}
}
