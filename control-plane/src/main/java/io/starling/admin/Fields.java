package io.starling.admin;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;

/**
 * Checks of request fields that the storage or the runtime would otherwise refuse later and
 * worse: a duration protobuf calls invalid, text PostgreSQL cannot hold.
 */
public final class Fields {

  private Fields() {}

  /** {@code duration}, or INVALID_ARGUMENT naming {@code field} if invalid or negative. */
  public static Duration nonNegative(Duration duration, String field) {
    return orRefused(duration, nonNegativeProblem(duration, field));
  }

  /** What is wrong with {@code duration} as a non-negative duration, else null. */
  public static String nonNegativeProblem(Duration duration, String field) {
    String invalid = invalidProblem(duration, field);
    if (invalid != null) {
      return invalid;
    }
    return Durations.isNegative(duration) ? field + " must not be negative" : null;
  }

  /** {@code duration}, or INVALID_ARGUMENT naming {@code field} if protobuf calls it invalid. */
  public static Duration valid(Duration duration, String field) {
    return orRefused(duration, invalidProblem(duration, field));
  }

  private static Duration orRefused(Duration duration, String problem) {
    if (problem != null) {
      throw AdminException.invalid(problem);
    }
    return duration;
  }

  private static String invalidProblem(Duration duration, String field) {
    return Durations.isValid(duration) ? null : field + " is not a valid duration (seconds"
        + " within ±315576000000, nanos within ±999999999 and of the same sign), got "
        + duration.getSeconds() + "s " + duration.getNanos() + "ns";
  }

  /** {@code text}, or INVALID_ARGUMENT if longer than {@code max} or holding a NUL. */
  public static String text(String text, int max, String field) {
    if (text.length() > max) {
      throw AdminException.invalid(field + " must have at most " + max + " characters, got "
          + text.length());
    }
    if (text.indexOf('\0') >= 0) {
      throw AdminException.invalid(field + " must not contain NUL characters");
    }
    return text;
  }
}
