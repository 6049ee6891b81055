package io.starling.proto;

/**
 * A value a user gave, as an error message shows it: in quotes, and cut to
 * {@link #MAX_CHARS} characters so that a huge value cannot make a huge message.
 */
public final class Quote {

  /** The most characters of a value a message shows. */
  public static final int MAX_CHARS = 40;

  private Quote() {}

  /** {@code 'value'}, or {@code 'first 40 characters...' (N characters)} when longer. */
  public static String of(String value) {
    if (value == null) {
      return "''";
    }
    if (value.length() <= MAX_CHARS) {
      return "'" + value + "'";
    }
    return "'" + value.substring(0, MAX_CHARS) + "...' (" + value.length() + " characters)";
  }
}
