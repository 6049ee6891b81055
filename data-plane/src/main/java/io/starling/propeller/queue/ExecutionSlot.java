package io.starling.propeller.queue;

import io.starling.propeller.attempt.LiveAttempts;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An execution's place in the propeller: its state (null until loaded, and again after a
 * failed write), the task events that arrived since its last round, the attempts it runs in
 * this process ({@link LiveAttempts}, which outlive a reload of the state), and its queue
 * status. A slot is dropped when its execution leaves this replica (it ended, or its shard
 * stopped); a dropped slot gets no further round.
 */
public final class ExecutionSlot {

  static final int IDLE = 0;
  static final int QUEUED = 1;
  static final int IN_ROUND = 2;
  static final int IN_ROUND_AGAIN = 3;

  private final long executionId;
  private final int shard;
  private final Queue<TaskEvent> inbox = new ConcurrentLinkedQueue<>();
  /** Events a round took but could not commit, for the next round; touched by rounds only. */
  private List<TaskEvent> carried = List.of();
  private final LiveAttempts attempts = new LiveAttempts();
  final AtomicInteger status = new AtomicInteger(IDLE);
  private volatile boolean dropped;
  private volatile ExecutionState state;
  /** project/domain/name, once the state was loaded; kept when the state is dropped. */
  private volatile String name;
  private volatile boolean abortRequested;
  private long wakeAtMillis = -1;
  private volatile long roundAtMillis;

  public ExecutionSlot(long executionId, int shard) {
    this.executionId = executionId;
    this.shard = shard;
  }

  /** When its last round ran (epoch millis); 0 before the first. */
  public long roundAt() {
    return roundAtMillis;
  }

  public void roundAt(long atMillis) {
    this.roundAtMillis = atMillis;
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
    if (state != null) {
      this.name = state.name();
    }
  }

  /** The execution as logs name it: project/domain/name (its row id until it was loaded). */
  public String name() {
    String known = name;
    return known != null ? known : "row " + executionId;
  }

  public void addEvent(TaskEvent event) {
    inbox.add(event);
  }

  public LiveAttempts attempts() {
    return attempts;
  }

  /**
   * The events that arrived since the last call, after those handed back by
   * {@link #carryOver}.
   */
  public List<TaskEvent> drainEvents() {
    List<TaskEvent> events = new ArrayList<>(carried);
    carried = List.of();
    TaskEvent event;
    while ((event = inbox.poll()) != null) {
      events.add(event);
    }
    return events;
  }

  /** The round that took {@code events} was not committed: the next round takes them again. */
  public void carryOver(List<TaskEvent> events) {
    if (!events.isEmpty()) {
      List<TaskEvent> again = new ArrayList<>(events);
      again.addAll(carried);
      carried = again;
    }
  }

  /** The execution leaves this replica: no further round, its attempts' results are ignored. */
  public List<LiveAttempts.Live> drop() {
    dropped = true;
    return attempts.close();
  }

  public boolean isDropped() {
    return dropped;
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
