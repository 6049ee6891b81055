package io.starling.propeller.plugin.builtin;

import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import java.util.function.Consumer;

/** {@code fail}: fails at once with the configured {@code message} (a user error). */
public final class FailPlugin implements TaskPlugin {

  @Override
  public String type() {
    return "fail";
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    String message = attempt.task().getConfig().getFieldsMap().containsKey("message")
        ? attempt.task().getConfig().getFieldsOrThrow("message").getStringValue()
        : "task failed on purpose";
    done.accept(TaskResult.userError("Fail", message));
  }

  @Override
  public void abort(TaskAttempt attempt) {}
}
