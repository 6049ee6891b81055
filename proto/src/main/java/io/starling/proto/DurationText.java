package io.starling.proto;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of a duration that users write, in task config, spec files and the CLI: a
 * number with a unit ({@code 500ms}, {@code 2s}, {@code 1.5m}, {@code 1h}, {@code 1d}), or
 * ISO-8601 ({@code PT2S}). One parser, so every part of the platform accepts the same forms and
 * says the same thing about the others.
 */
public final class DurationText {

  /** What the error message offers as the accepted forms. */
  public static final String FORMS = "a number with a unit (500ms, 2s, 1.5m, 1h, 1d) or ISO-8601 (PT2S)";

  private static final Pattern WITH_UNIT =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} naming the text and the forms
   * accepted when it is none of them, or negative.
   */
  public static Duration parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    Matcher unit = WITH_UNIT.matcher(trimmed);
    if (unit.matches()) {
      double value = Double.parseDouble(unit.group(1));
      double millis = value * switch (unit.group(2)) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        default -> 86_400_000;
      };
      if (millis > Long.MAX_VALUE / 2) {
        throw new IllegalArgumentException(Quote.of(trimmed) + " is too long a duration");
      }
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      Duration parsed = Duration.parse(trimmed);
      if (parsed.isNegative()) {
        throw new IllegalArgumentException(Quote.of(trimmed) + " is negative");
      }
      return parsed;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          Quote.of(trimmed) + " is not a duration; expected " + FORMS);
    }
  }
}
