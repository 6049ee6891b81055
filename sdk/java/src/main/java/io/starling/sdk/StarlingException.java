package io.starling.sdk;

/** A call to Starling that failed: the gRPC status and the server's message. */
public final class StarlingException extends RuntimeException {

  private final String status;

  StarlingException(String status, String message) {
    super(status + ": " + message);
    this.status = status;
  }

  /** The gRPC status, e.g. {@code INVALID_ARGUMENT}. */
  public String status() {
    return status;
  }
}
