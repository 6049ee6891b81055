package io.starling.propeller.queue;

import io.starling.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue of executions waiting for a round. De-duplicated: an execution is in the queue at
 * most once and in at most one round at a time; an execution that is asked for while in a round
 * gets another round right after. Each slot moves through IDLE → QUEUED → IN_ROUND → IDLE
 * (or → IN_ROUND_AGAIN → QUEUED) by compare-and-set, so no lock is held on the way in.
 *
 * <p>Rate-limited: rounds are handed out at most {@code roundsPerSecond} a second on average
 * (a token bucket with a tenth of a second's burst), so a storm of events cannot turn into a
 * storm of database writes; 0 means no limit. The bucket reads the time source's monotonic
 * clock and a throttled worker waits on one of its timers, so a manual time source drives the
 * limit in tests.
 */
public final class WorkQueue {

  private final BlockingQueue<ExecutionSlot> queue = new LinkedBlockingQueue<>();
  private final TokenBucket rate;
  private final TimeSource time;
  private final AtomicLong throttledNanos = new AtomicLong();

  public WorkQueue(int roundsPerSecond, TimeSource time) {
    this.time = time;
    this.rate = roundsPerSecond == 0 ? null
        : new TokenBucket(roundsPerSecond, Math.max(1, roundsPerSecond / 10), time::nanoTime);
  }

  /** Asks for a round of {@code slot}. */
  public void enqueue(ExecutionSlot slot) {
    while (true) {
      int status = slot.status.get();
      if (status == ExecutionSlot.IDLE) {
        if (slot.status.compareAndSet(ExecutionSlot.IDLE, ExecutionSlot.QUEUED)) {
          queue.add(slot);
          return;
        }
      } else if (status == ExecutionSlot.IN_ROUND) {
        if (slot.status.compareAndSet(ExecutionSlot.IN_ROUND, ExecutionSlot.IN_ROUND_AGAIN)) {
          return;
        }
      } else {
        return;
      }
    }
  }

  /**
   * Waits for the next execution and for the rate limit, and marks it in a round. Blocks:
   * call it from a worker thread only.
   */
  public ExecutionSlot take() throws InterruptedException {
    ExecutionSlot slot = queue.take();
    if (rate != null) {
      long wait = rate.reserve();
      if (wait > 0) {
        throttledNanos.addAndGet(wait);
        CountDownLatch permitted = new CountDownLatch(1);
        TimeSource.Timer timer = time.schedule(Duration.ofNanos(wait), permitted::countDown);
        try {
          permitted.await();
        } catch (InterruptedException e) {
          timer.cancel();
          queue.add(slot);
          throw e;
        }
      }
    }
    slot.status.set(ExecutionSlot.IN_ROUND);
    return slot;
  }

  /** Ends the round of {@code slot}; it is queued again if it was asked for meanwhile. */
  public void finish(ExecutionSlot slot) {
    if (slot.status.compareAndSet(ExecutionSlot.IN_ROUND, ExecutionSlot.IDLE)) {
      return;
    }
    slot.status.set(ExecutionSlot.QUEUED);
    queue.add(slot);
  }

  public int depth() {
    return queue.size();
  }

  /** Seconds that {@link #take} has waited for the rate limit, in total. */
  public double throttledSeconds() {
    return throttledNanos.get() / 1e9;
  }
}
