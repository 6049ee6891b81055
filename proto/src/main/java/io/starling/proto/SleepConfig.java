package io.starling.proto;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.time.Duration;

/**
 * The {@code config} of a {@code sleep} task: {@code duration}, in any form {@link DurationText}
 * reads ({@code "2s"}, {@code "500ms"}, {@code "PT2S"}) or a number of milliseconds. Read by the
 * admin at registration and by the plugin at run time, so both say the same.
 */
public final class SleepConfig {

  private SleepConfig() {}

  /**
   * The duration {@code config} asks for; throws {@link IllegalArgumentException} naming the key,
   * what was given and what is expected.
   */
  public static Duration duration(Struct config) {
    Value value = config.getFieldsMap().get("duration");
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
