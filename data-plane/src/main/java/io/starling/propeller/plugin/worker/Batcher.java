package io.starling.propeller.plugin.worker;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gathers items added from any thread into batches handed to {@code flush} one at a time: while
 * a batch is in flight, the items added meanwhile wait and go together in the next (group
 * commit). A batch holds at most {@code maxBatch} items.
 */
final class Batcher<T> {

  private final Function<List<T>, Future<?>> flush;
  private final int maxBatch;
  private List<T> pending = new ArrayList<>();
  private boolean inFlight;

  Batcher(int maxBatch, Function<List<T>, Future<?>> flush) {
    this.maxBatch = maxBatch;
    this.flush = flush;
  }

  void add(T item) {
    addAll(List.of(item));
  }

  void addAll(List<T> items) {
    List<T> batch;
    synchronized (this) {
      pending.addAll(items);
      if (inFlight || pending.isEmpty()) {
        return;
      }
      batch = take();
    }
    send(batch);
  }

  /** Under the lock: the next batch, or null (and nothing in flight) when none waits. */
  private List<T> take() {
    if (pending.isEmpty()) {
      inFlight = false;
      return null;
    }
    inFlight = true;
    if (pending.size() <= maxBatch) {
      List<T> batch = pending;
      pending = new ArrayList<>();
      return batch;
    }
    List<T> batch = new ArrayList<>(pending.subList(0, maxBatch));
    pending = new ArrayList<>(pending.subList(maxBatch, pending.size()));
    return batch;
  }

  private void send(List<T> batch) {
    while (batch != null) {
      Future<?> sent;
      try {
        sent = flush.apply(batch);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      if (!sent.isComplete()) {
        sent.onComplete(done -> {
          List<T> next;
          synchronized (this) {
            next = take();
          }
          send(next);
        });
        return;
      }
      synchronized (this) {
        batch = take();
      }
    }
  }
}
