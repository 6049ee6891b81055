package io.starling.admin.watch;

import io.starling.admin.AdminException;
import io.starling.admin.store.WatchStore;
import io.starling.admin.store.WatchStore.ExecutionRow;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one execution for every watch of it in this process and hands each subscriber the
 * snapshot, then the changes. One poll reads the execution's row; only if its version moved
 * does it read the node rows (cheap columns) and diff them in an {@link ExecutionView}.
 *
 * <p>Everything here runs on one Vert.x context, the one of the watch that started the
 * poller: the database calls are asynchronous, the next poll is a timer set when the previous
 * one completed (so polls never overlap), and {@link #add}, {@link #remove} and {@link #stop}
 * hop onto the context. Updates reach each subscriber on its own context, in order.
 *
 * <p>Life: started by the first subscriber; stopped by {@link ExecutionWatches} when the last
 * one leaves; finished by itself after the update that reports a terminal execution phase. A
 * finished poller still answers subscribers that were on their way with the final snapshot.
 */
final class ExecutionPoller {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionPoller.class);

  private final ExecutionWatches watches;
  final long executionRowId;
  private final String name;
  private final Supplier<Future<Integer>> nodeCount;
  private final Context context;
  private final WatchStore store;
  private final long intervalMillis;
  /** Guarded by {@code watches}: the subscribers counted towards this poller. */
  int subscriberCount;

  private final List<Subscriber> subscribers = new ArrayList<>();
  private ExecutionView view;
  private boolean started;
  private boolean stopped;
  private boolean finished;
  /** Why it finished early, or null. */
  private Throwable failure;
  private long timer = -1;
  private int failedPolls;

  ExecutionPoller(ExecutionWatches watches, long executionRowId, String name,
      Supplier<Future<Integer>> nodeCount, Context context, WatchStore store, long intervalMillis) {
    this.watches = watches;
    this.executionRowId = executionRowId;
    this.name = name;
    this.nodeCount = nodeCount;
    this.context = context;
    this.store = store;
    this.intervalMillis = intervalMillis;
  }

  void add(Subscriber subscriber) {
    context.runOnContext(v -> {
      if (subscriber.isClosed()) {
        return;
      }
      if (finished) {
        if (failure == null) {
          subscriber.deliver(snapshot());
        }
        subscriber.finish(failure);
        return;
      }
      subscribers.add(subscriber);
      if (view != null && view.isRead()) {
        subscriber.deliver(snapshot());
        subscriber.primed = true;
      }
      if (!started) {
        started = true;
        nodeCount.get().onComplete(count -> onContext(() -> {
          if (count.failed()) {
            finish(count.cause());
          } else {
            view = new ExecutionView(count.result());
            poll();
          }
        }));
      }
    });
  }

  /**
   * {@code subscriber} fell behind, dropped updates and has caught up: it gets the snapshot of
   * now, or if the execution ended meanwhile the final snapshot (or its failure) and the end.
   */
  void resync(Subscriber subscriber) {
    context.runOnContext(v -> {
      if (finished) {
        subscriber.caughtUp(failure == null ? snapshot() : null);
        subscriber.finish(failure);
      } else {
        subscriber.caughtUp(snapshot());
      }
    });
  }

  void remove(Subscriber subscriber) {
    context.runOnContext(v -> subscribers.remove(subscriber));
  }

  /** The last subscriber left: no more polls. */
  void stop() {
    context.runOnContext(v -> {
      stopped = true;
      if (timer >= 0) {
        context.owner().cancelTimer(timer);
        timer = -1;
      }
    });
  }

  private void poll() {
    timer = -1;
    if (stopped || finished) {
      return;
    }
    store.execution(executionRowId).onComplete(read -> onContext(() -> {
      if (stopped || finished) {
        return;
      }
      if (read.failed()) {
        pollFailed(read.cause());
      } else if (read.result().isEmpty()) {
        finish(AdminException.notFound("execution " + name + " is gone"));
      } else if (view.isRead() && view.isUnchanged(read.result().get())) {
        next();
      } else {
        readNodes(read.result().get());
      }
    }));
  }

  private void readNodes(ExecutionRow execution) {
    store.nodes(executionRowId, view.mapVersions()).onComplete(read -> onContext(() -> {
      if (stopped || finished) {
        return;
      }
      if (read.failed()) {
        pollFailed(read.cause());
        return;
      }
      failedPolls = 0;
      publish(view.apply(execution, read.result()));
      if (view.isTerminal()) {
        finish(null);
      } else {
        next();
      }
    }));
  }

  private void pollFailed(Throwable error) {
    if (failedPolls++ % 50 == 0) {
      LOG.atWarn().addKeyValue("execution", name)
          .log("watch poll failed ({}); polling on", error.toString());
    }
    next();
  }

  private void next() {
    timer = context.owner().setTimer(intervalMillis, id -> poll());
  }

  private void publish(List<WatchEvent> changes) {
    WatchUpdate update = changes.isEmpty() ? null
        : new WatchUpdate(false, changes, view.progress());
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.primed) {
        subscriber.deliver(snapshot());
        subscriber.primed = true;
      } else if (update != null) {
        subscriber.deliver(update);
      }
    }
  }

  private void finish(Throwable failure) {
    finished = true;
    this.failure = failure;
    watches.finished(this);
    for (Subscriber subscriber : subscribers) {
      subscriber.finish(failure);
    }
    subscribers.clear();
  }

  /** The whole state as last read, to prime or resync a subscriber. */
  private WatchUpdate snapshot() {
    return new WatchUpdate(true, view.snapshot(), view.progress());
  }

  private void onContext(Runnable action) {
    if (context == Vertx.currentContext()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
