package io.starling.propeller.store;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Turns items handed in from any thread into batches of database work (group commit): while
 * fewer than {@code maxConcurrent} batches run, a new one starts with everything pending, up to
 * {@code maxWeight}. Under load each batch carries many items and their per-statement,
 * per-round-trip and per-commit cost is shared; with nothing else pending an item goes out on
 * its own at once.
 */
final class Batches<T> {

  private final int maxWeight;
  private final int maxConcurrent;
  private final ToIntFunction<T> weight;
  private final Function<List<T>, Future<?>> run;
  private final Queue<T> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param run runs one batch; its future completes when the batch is done (failed or not),
   *     and must not fail for a reason its items have not been told of
   */
  Batches(int maxWeight, int maxConcurrent, ToIntFunction<T> weight,
      Function<List<T>, Future<?>> run) {
    this.maxWeight = maxWeight;
    this.maxConcurrent = maxConcurrent;
    this.weight = weight;
    this.run = run;
  }

  void add(T item) {
    pending.add(item);
    drain();
  }

  private void drain() {
    while (!pending.isEmpty()) {
      int current = inFlight.get();
      if (current >= maxConcurrent) {
        return;
      }
      if (!inFlight.compareAndSet(current, current + 1)) {
        continue;
      }
      List<T> batch = take();
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      run.apply(batch).onComplete(done -> {
        inFlight.decrementAndGet();
        drain();
      });
    }
  }

  private List<T> take() {
    List<T> batch = new ArrayList<>();
    int taken = 0;
    T next;
    while (taken < maxWeight && (next = pending.poll()) != null) {
      batch.add(next);
      taken += weight.applyAsInt(next);
    }
    return batch;
  }
}
