package io.starling.app.cli;

import io.vertx.grpc.common.GrpcStatus;

/** A call the server answered with a status other than OK; carries the server's message. */
public final class RpcException extends RuntimeException {

  private final GrpcStatus status;

  RpcException(GrpcStatus status, String message) {
    super(status.name() + ": " + (message == null || message.isEmpty() ? "(no message)" : message),
        null, false, false);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }
}
