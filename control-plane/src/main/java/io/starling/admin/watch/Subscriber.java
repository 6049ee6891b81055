package io.starling.admin.watch;

import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/** One watch stream inside the watches: where its updates go, and whether it is over. */
final class Subscriber implements ExecutionWatches.Subscription {

  private final ExecutionWatches watches;
  private final Context context;
  private final WatchSubscriber target;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set under the watches' lock before the poller sees this subscriber. */
  ExecutionPoller poller;
  /** Whether it has had its snapshot; read and written on the poller's context only. */
  boolean primed;

  Subscriber(ExecutionWatches watches, Context context, WatchSubscriber target) {
    this.watches = watches;
    this.context = context;
    this.target = target;
  }

  void deliver(WatchUpdate update) {
    context.runOnContext(v -> {
      if (!closed.get()) {
        target.update(update);
      }
    });
  }

  /** Ends the stream after the updates already delivered. */
  void finish(Throwable failure) {
    context.runOnContext(v -> {
      if (close()) {
        target.end(failure);
      }
    });
  }

  @Override
  public void cancel() {
    if (close()) {
      watches.cancelled(this);
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  private boolean close() {
    if (closed.compareAndSet(false, true)) {
      watches.streamClosed();
      return true;
    }
    return false;
  }
}
