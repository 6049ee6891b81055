package io.starling.admin.api;

import io.starling.admin.watch.ExecutionWatches;
import io.starling.admin.watch.WatchSubscriber;
import io.starling.admin.watch.WatchUpdate;
import io.starling.auth.Authenticator;
import io.starling.auth.Principal;
import io.starling.auth.Role;
import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionWatchRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * WatchExecution, the admin's one streaming call: subscribes the stream to
 * {@link ExecutionWatches} and writes each update as messages. A refusal (bad id, unknown
 * execution) is the stream's status before any message. A stream the client cancels, or whose
 * connection closes, or whose deadline passes, cancels its subscription, so a poller nobody
 * reads stops. A client that reads slower than the execution changes is sent a new snapshot
 * when it has caught up, instead of every change queued in memory meanwhile.
 */
final class WatchExecutionHandler
    implements Handler<GrpcServerRequest<ExecutionWatchRequest, ExecutionEvent>> {

  static final String METHOD = "WatchExecution";

  private final ExecutionWatches watches;
  private final Authenticator auth;
  private final int maxMessageBytes;

  WatchExecutionHandler(ExecutionWatches watches, Authenticator auth, int maxMessageBytes) {
    this.watches = watches;
    this.auth = auth;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void handle(GrpcServerRequest<ExecutionWatchRequest, ExecutionEvent> request) {
    CallEnds.refuseOversized(request, maxMessageBytes);
    Stream stream = new Stream(request.response());
    request.errorHandler(error -> stream.cancel());
    request.exceptionHandler(error -> stream.cancel());
    request.response().exceptionHandler(error -> stream.cancel());
    Future<Principal> principal = CallEnds.authenticate(auth, request);
    request.handler(message -> principal.compose(who -> {
      auth.require(who, Role.READ, message.getId().getProject());
      return watches.watch(message.getId(), stream);
    }).onComplete(started -> {
      if (started.succeeded()) {
        stream.started(started.result());
      } else {
        stream.refuse(started.cause());
      }
    }));
  }

  /** One stream; all of it runs on the stream's context. */
  private static final class Stream implements WatchSubscriber {

    private final GrpcServerResponse<ExecutionWatchRequest, ExecutionEvent> response;
    private ExecutionWatches.Subscription subscription;
    private boolean over;
    /** The last message written: the trailers go after it (see {@link CallEnds}). */
    private Future<Void> lastWrite = Future.succeededFuture();

    Stream(GrpcServerResponse<ExecutionWatchRequest, ExecutionEvent> response) {
      this.response = response;
    }

    void started(ExecutionWatches.Subscription subscription) {
      this.subscription = subscription;
      if (over) {
        subscription.cancel();
      }
    }

    void refuse(Throwable error) {
      if (!over) {
        over = true;
        GrpcStatus status = Statuses.of(METHOD, error);
        lastWrite.onSuccess(written ->
            CallEnds.fail(response, status, Statuses.message(status, error)));
      }
    }

    void cancel() {
      over = true;
      if (subscription != null) {
        subscription.cancel();
      }
    }

    @Override
    public void update(WatchUpdate update) {
      if (over) {
        return;
      }
      try {
        for (ExecutionEvent event : Messages.events(update)) {
          lastWrite = response.write(event);
        }
      } catch (IllegalStateException closed) {
        cancel(); // reset by the client or ended by its deadline meanwhile
      }
    }

    @Override
    public boolean backedUp() {
      return response.writeQueueFull();
    }

    @Override
    public void whenDrained(Runnable drained) {
      response.drainHandler(v -> drained.run());
    }

    @Override
    public void end(Throwable failure) {
      if (failure == null) {
        over = true;
        lastWrite.onSuccess(written -> {
          try {
            response.end();
          } catch (IllegalStateException closed) {
            // the client went away first: nobody to tell
          }
        });
      } else {
        refuse(failure);
      }
    }
  }
}
