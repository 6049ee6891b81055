package io.starling.propeller.plugin.builtin;

import com.google.protobuf.Value;
import io.starling.proto.DurationText;
import io.starling.proto.core.LiteralMap;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import io.starling.time.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code sleep}: succeeds with no outputs after {@code config.duration}, a duration in any form
 * {@link DurationText} reads ({@code "2s"}, {@code "500ms"}, {@code "PT2S"}) or a number of
 * milliseconds. Abortable; a timer of the time source, never a thread.
 */
public final class SleepPlugin implements TaskPlugin {

  private final TimeSource time;
  private final Map<String, TimeSource.Timer> timers = new ConcurrentHashMap<>();

  public SleepPlugin(TimeSource time) {
    this.time = time;
  }

  @Override
  public String type() {
    return "sleep";
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    Duration duration;
    try {
      duration = duration(attempt.task().getConfig().getFieldsMap());
    } catch (IllegalArgumentException e) {
      done.accept(TaskResult.userError("SleepConfig", "sleep: " + e.getMessage()));
      return;
    }
    timers.put(attempt.key(), time.schedule(duration, () -> {
      if (timers.remove(attempt.key()) != null) {
        done.accept(TaskResult.succeeded(LiteralMap.getDefaultInstance()));
      }
    }));
  }

  @Override
  public void abort(TaskAttempt attempt) {
    TimeSource.Timer timer = timers.remove(attempt.key());
    if (timer != null) {
      timer.cancel();
    }
  }

  @Override
  public void close() {
    timers.values().forEach(TimeSource.Timer::cancel);
    timers.clear();
  }

  /**
   * The duration {@code config} asks for; throws {@link IllegalArgumentException} saying what
   * was given and what is expected.
   */
  public static Duration duration(Map<String, Value> config) {
    Value value = config.get("duration");
    if (value == null) {
      throw new IllegalArgumentException("config.duration is required: " + DurationText.FORMS);
    }
    if (value.hasNumberValue()) {
      if (value.getNumberValue() < 0) {
        throw new IllegalArgumentException(
            "config.duration is " + value.getNumberValue() + " ms; it must not be negative");
      }
      return Duration.ofMillis((long) value.getNumberValue());
    }
    if (!value.hasStringValue()) {
      throw new IllegalArgumentException(
          "config.duration must be a string or a number of milliseconds: " + DurationText.FORMS);
    }
    try {
      return DurationText.parse(value.getStringValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config.duration " + e.getMessage());
    }
  }
}
