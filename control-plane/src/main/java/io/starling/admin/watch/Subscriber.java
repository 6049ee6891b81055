package io.starling.admin.watch;

import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watch stream inside the watches: where its updates go, and whether it is over. A stream
 * whose client falls behind is not written more: the updates that come meanwhile are dropped,
 * and once the client has taken what was sent, the poller sends a fresh snapshot (the final one
 * and then the end, if the execution ended meanwhile). What a stream holds is thus bounded by
 * the transport's window and one snapshot, however slowly its client reads.
 */
final class Subscriber implements ExecutionWatches.Subscription {

  private final ExecutionWatches watches;
  private final Context context;
  private final WatchSubscriber target;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set under the watches' lock before the poller sees this subscriber. */
  ExecutionPoller poller;
  /** Whether it has had its snapshot; read and written on the poller's context only. */
  boolean primed;
  /** Whether updates were dropped since the client fell behind; on this stream's context. */
  private boolean behind;

  Subscriber(ExecutionWatches watches, Context context, WatchSubscriber target) {
    this.watches = watches;
    this.context = context;
    this.target = target;
  }

  void deliver(WatchUpdate update) {
    context.runOnContext(v -> {
      if (closed.get() || behind) {
        return; // when behind, a snapshot follows once the client has caught up
      }
      if (target.backedUp()) {
        behind = true;
        watches.fellBehind();
        target.whenDrained(() -> poller.resync(this));
        return;
      }
      target.update(update);
    });
  }

  /** The client caught up: {@code snapshot} (null when there is none to give) goes out. */
  void caughtUp(WatchUpdate snapshot) {
    context.runOnContext(v -> {
      behind = false;
      if (!closed.get() && snapshot != null) {
        target.update(snapshot);
      }
    });
  }

  /**
   * Ends the stream after the updates already delivered; a stream that is behind waits for the
   * final snapshot, which {@link ExecutionPoller#resync} sends followed by this end again.
   */
  void finish(Throwable failure) {
    context.runOnContext(v -> {
      if (behind && failure == null) {
        return;
      }
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
