package io.starling.admin;

/**
 * A request the admin refuses, with a message that says what to fix. The API layer maps the
 * code onto the gRPC status of the same name.
 */
public final class AdminException extends RuntimeException {

  /** Why a request is refused. */
  public enum Code {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION
  }

  private final Code code;

  public AdminException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static AdminException invalid(String message) {
    return new AdminException(Code.INVALID_ARGUMENT, message);
  }

  public static AdminException notFound(String message) {
    return new AdminException(Code.NOT_FOUND, message);
  }

  public static AdminException alreadyExists(String message) {
    return new AdminException(Code.ALREADY_EXISTS, message);
  }

  public static AdminException failedPrecondition(String message) {
    return new AdminException(Code.FAILED_PRECONDITION, message);
  }
}
