package io.starling.admin.api;

import io.starling.admin.AdminException;
import io.starling.schema.DatabaseHealth;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How refusals become gRPC statuses: an {@link AdminException} gives the status of its code and
 * its message, a {@link StatusException} (the authenticator's) its own; a database that does
 * not answer is UNAVAILABLE (clients retry that), counted and
 * logged once per outage by the caller; anything else is INTERNAL, logged, and never shown to
 * the client.
 */
final class Statuses {

  private static final Logger LOG = LoggerFactory.getLogger(AdminGrpcService.class);

  private Statuses() {}

  static GrpcStatus of(String method, Throwable error) {
    if (error instanceof StatusException refused) {
      return refused.status();
    }
    if (error instanceof AdminException refused) {
      return switch (refused.code()) {
        case INVALID_ARGUMENT -> GrpcStatus.INVALID_ARGUMENT;
        case NOT_FOUND -> GrpcStatus.NOT_FOUND;
        case ALREADY_EXISTS -> GrpcStatus.ALREADY_EXISTS;
        case FAILED_PRECONDITION -> GrpcStatus.FAILED_PRECONDITION;
      };
    }
    if (DatabaseHealth.isUnreachable(error)) {
      return GrpcStatus.UNAVAILABLE;
    }
    LOG.atError().addKeyValue("method", method).setCause(error).log("admin call failed");
    return GrpcStatus.INTERNAL;
  }

  /** The message the client sees. */
  static String message(GrpcStatus status, Throwable error) {
    return switch (status) {
      case INTERNAL -> "internal error; the server log has the details";
      case UNAVAILABLE -> "the database is unreachable; the call can be retried";
      default -> error instanceof StatusException refused ? refused.message()
          : error.getMessage();
    };
  }

  static StatusException exception(GrpcStatus status, Throwable error) {
    return new StatusException(status, message(status, error));
  }
}
