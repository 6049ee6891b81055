package io.starling.propeller.queue;

import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An execution's place in the propeller: its state (null until loaded, and again after a
 * failed write), the task events that arrived since its last round, and its queue status.
 */
public final class ExecutionSlot {

  static final int IDLE = 0;
  static final int QUEUED = 1;
  static final int IN_ROUND = 2;
  static final int IN_ROUND_AGAIN = 3;

  private final long executionId;
  private final int shard;
  private final Queue<TaskEvent> inbox = new ConcurrentLinkedQueue<>();
  final AtomicInteger status = new AtomicInteger(IDLE);
  private volatile ExecutionState state;
  private volatile boolean abortRequested;
  private long wakeAtMillis = -1;

  public ExecutionSlot(long executionId, int shard) {
    this.executionId = executionId;
    this.shard = shard;
  }

  public long executionId() {
    return executionId;
  }

  public int shard() {
    return shard;
  }

  public ExecutionState state() {
    return state;
  }

  public void state(ExecutionState state) {
    this.state = state;
  }

  public void addEvent(TaskEvent event) {
    inbox.add(event);
  }

  /** The events that arrived since the last call. */
  public List<TaskEvent> drainEvents() {
    List<TaskEvent> events = new ArrayList<>();
    TaskEvent event;
    while ((event = inbox.poll()) != null) {
      events.add(event);
    }
    return events;
  }

  public void requestAbort() {
    abortRequested = true;
  }

  public boolean abortRequested() {
    return abortRequested;
  }

  /**
   * Records that a wake-up is wanted at {@code atMillis}; true when no earlier one is already
   * scheduled, i.e. the caller must schedule a timer. Called only by the slot's round.
   */
  public boolean wakeAt(long atMillis, long nowMillis) {
    if (wakeAtMillis > nowMillis && wakeAtMillis <= atMillis) {
      return false;
    }
    wakeAtMillis = atMillis;
    return true;
  }
}
