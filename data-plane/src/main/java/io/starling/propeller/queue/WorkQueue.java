package io.starling.propeller.queue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The queue of executions waiting for a round. De-duplicated: an execution is in the queue at
 * most once and in at most one round at a time; an execution that is asked for while in a round
 * gets another round right after. Each slot moves through IDLE → QUEUED → IN_ROUND → IDLE
 * (or → IN_ROUND_AGAIN → QUEUED) by compare-and-set, so no lock is held anywhere.
 */
public final class WorkQueue {

  private final BlockingQueue<ExecutionSlot> queue = new LinkedBlockingQueue<>();

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

  /** Waits for the next execution and marks it in a round. */
  public ExecutionSlot take() throws InterruptedException {
    ExecutionSlot slot = queue.take();
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
}
