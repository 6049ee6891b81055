package io.starling.propeller.plugin.builtin;

import io.starling.proto.core.LiteralMap;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code sleep}: succeeds with no outputs after {@code config.duration} (ISO-8601, e.g.
 * {@code PT2S}, or a number of milliseconds). Abortable; uses a Vert.x timer, never a thread.
 */
public final class SleepPlugin implements TaskPlugin {

  private final Vertx vertx;
  private final Map<String, Long> timers = new ConcurrentHashMap<>();

  public SleepPlugin(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public String type() {
    return "sleep";
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    Duration duration;
    try {
      duration = duration(attempt);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      done.accept(TaskResult.userError("SleepConfig", "sleep: " + e.getMessage()));
      return;
    }
    long timer = vertx.setTimer(Math.max(1, duration.toMillis()), id -> {
      if (timers.remove(attempt.key()) != null) {
        done.accept(TaskResult.succeeded(LiteralMap.getDefaultInstance()));
      }
    });
    timers.put(attempt.key(), timer);
  }

  @Override
  public void abort(TaskAttempt attempt) {
    Long timer = timers.remove(attempt.key());
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private static Duration duration(TaskAttempt attempt) {
    var fields = attempt.task().getConfig().getFieldsMap();
    if (!fields.containsKey("duration")) {
      throw new IllegalArgumentException("config.duration is required, e.g. \"PT2S\"");
    }
    var value = fields.get("duration");
    return value.hasNumberValue()
        ? Duration.ofMillis((long) value.getNumberValue())
        : Duration.parse(value.getStringValue());
  }
}
