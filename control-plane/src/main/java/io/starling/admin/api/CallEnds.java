package io.starling.admin.api;

import com.google.protobuf.MessageLite;
import io.starling.auth.Authenticator;
import io.starling.auth.Principal;
import io.starling.proto.GrpcMessage;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

/**
 * How the admin's calls end on the wire, in place of four defaults of Vert.x gRPC 5.0.7:
 * <ul>
 *   <li>A refusal's message goes in {@code grpc-message} encoded as the protocol says
 *       ({@link GrpcMessage}); Vert.x form-encodes it, which clients of other stacks show with
 *       {@code %2F} for every {@code /}. The header is set by hand and Vert.x's own message is
 *       never set, or both would be sent.
 *   <li>A request larger than the limit is refused with RESOURCE_EXHAUSTED saying the size, the
 *       limit and the key that sets it; Vert.x's default has no message.
 *   <li>The trailers of a response message larger than a flow-control window are sent once the
 *       message is written: Vert.x queues them with no callback, and a client that resets the
 *       stream meanwhile makes it log a NullPointerException.
 *   <li>A JSON response (gRPC-Web {@code +json}) is printed without indentation
 *       ({@link CompactJson}).
 * </ul>
 * Public for the app's own services on the same port (ClusterService), which end their calls
 * the same way.
 */
public final class CallEnds {

  /** The default HTTP/2 flow-control window: a message above it may wait for the client. */
  private static final int WINDOW_BYTES = 64 * 1024;

  private CallEnds() {}

  /** A call's body, given who the call is from and its request. */
  @FunctionalInterface
  public interface Body<Req, Resp> {
    Future<Resp> apply(Principal principal, Req request);
  }

  /**
   * Serves {@code method} with {@code body}, one request message in, one response out; the
   * call's credentials are taken by {@code authenticator} as it arrives, and a refusal of them
   * ends it before the body runs.
   */
  public static <Req, Resp> void unary(GrpcServer server, ServiceMethod<Req, Resp> method,
      Authenticator authenticator, Body<Req, Resp> body, int maxMessageBytes) {
    server.callHandler(CompactJson.of(method), request -> {
      refuseOversized(request, maxMessageBytes);
      Future<Principal> principal = authenticate(authenticator, request);
      GrpcServerResponse<Req, Resp> response = request.response();
      request.handler(message -> principal.compose(who -> {
        try {
          return body.apply(who, message);
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }).onComplete(outcome -> {
        if (outcome.succeeded()) {
          end(response, outcome.result());
        } else {
          GrpcStatus status = Statuses.of(method.methodName(), outcome.cause());
          fail(response, status, Statuses.message(status, outcome.cause()));
        }
      }));
    });
  }

  /** Who {@code request} is from, by its authorization metadata. */
  static Future<Principal> authenticate(Authenticator authenticator,
      GrpcServerRequest<?, ?> request) {
    return authenticator.authenticate(request.headers().get(HttpHeaders.AUTHORIZATION));
  }

  /** A request message larger than {@code maxMessageBytes} is refused, saying so. */
  static void refuseOversized(GrpcServerRequest<?, ?> request, int maxMessageBytes) {
    request.invalidMessageHandler(invalid -> {
      if (invalid instanceof MessageSizeOverflowException tooLarge) {
        fail(request.response(), GrpcStatus.RESOURCE_EXHAUSTED, "the request message has "
            + tooLarge.messageSize() + " bytes; the most this server takes is " + maxMessageBytes
            + " (grpc.max-message-bytes)");
      } else {
        request.response().cancel();
      }
    });
  }

  /** Ends the call with {@code status} and {@code message}; a no-op once the stream is gone. */
  static void fail(GrpcServerResponse<?, ?> response, GrpcStatus status, String message) {
    try {
      if (message != null && !message.isEmpty()) {
        response.trailers().set(GrpcHeaderNames.GRPC_MESSAGE, GrpcMessage.encode(message));
      }
      response.status(status).end();
    } catch (IllegalStateException gone) {
      // the client reset the stream or its deadline passed: nobody to tell
    }
  }

  /** Ends the call with {@code message}; a large one's trailers wait until it is written. */
  static <Resp> void end(GrpcServerResponse<?, Resp> response, Resp message) {
    try {
      if (message instanceof MessageLite large && large.getSerializedSize() > WINDOW_BYTES) {
        response.write(message).onSuccess(written -> endQuietly(response));
      } else {
        response.end(message);
      }
    } catch (IllegalStateException gone) {
      // the client reset the stream or its deadline passed: nobody to tell
    }
  }

  private static void endQuietly(GrpcServerResponse<?, ?> response) {
    try {
      response.end();
    } catch (IllegalStateException gone) {
      // reset between the write and the end
    }
  }
}
