package io.starling.admin;

/**
 * The contract's unsigned 32-bit counts as Java reads them, and their bounds. A {@code uint32}
 * of 2^31 or more arrives as a negative {@code int} (a client's -1 arrives as 4294967295), so
 * every such field that comes in is checked here before it is stored or acted on.
 */
public final class Unsigned {

  /** Most retries of a task or node: more is a misconfiguration, not a retry policy. */
  public static final int MAX_RETRIES = 100;

  private Unsigned() {}

  /**
   * {@code value} if it is between {@code min} and {@code max}; INVALID_ARGUMENT naming
   * {@code field}, the allowed range and the value as the client sent it otherwise.
   */
  public static int inRange(int value, int min, int max, String field) {
    String problem = outOfRange(value, min, max, field);
    if (problem != null) {
      throw AdminException.invalid(problem);
    }
    return value;
  }

  /** What is wrong with {@code value} if it is not between {@code min} and {@code max}, else null. */
  public static String outOfRange(int value, int min, int max, String field) {
    if (value >= min && value <= max) {
      return null;
    }
    return field + " must be between " + min + " and " + max + ", got "
        + Integer.toUnsignedString(value)
        + (value < 0 ? " (is it a negative number sent as unsigned?)" : "");
  }
}
