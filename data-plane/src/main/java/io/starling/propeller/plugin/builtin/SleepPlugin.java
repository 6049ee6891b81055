package io.starling.propeller.plugin.builtin;

import io.starling.proto.DurationText;
import io.starling.proto.SleepConfig;
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
      duration = SleepConfig.duration(attempt.task().getConfig());
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
}
