package io.starling.scheduler;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Slots due, waiting for one of {@code max} creations in flight: those that fell due on time
 * first, in the order they did, then caught-up ones, oldest slot first, so a catch-up never
 * delays the slots falling due meanwhile. A schedule waits here once at most, so the queue is
 * bounded by the number of schedules. Guarded by the scheduler's lock.
 */
final class FireQueue {

  private final ArrayDeque<ScheduleState> onTime = new ArrayDeque<>();
  private final PriorityQueue<ScheduleState> catchingUp =
      new PriorityQueue<>(Comparator.comparing((ScheduleState state) -> state.next));
  private final int max;
  private int inFlight;

  FireQueue(int max) {
    this.max = max;
  }

  void add(ScheduleState state) {
    (state.onTime ? onTime : catchingUp).add(state);
  }

  /** The next schedule to fire, counted in flight; null at the limit or when none waits. */
  ScheduleState take() {
    while (inFlight < max) {
      ScheduleState state = onTime.isEmpty() ? catchingUp.poll() : onTime.poll();
      if (state == null) {
        return null;
      }
      if (!state.removed) {
        inFlight++;
        return state;
      }
    }
    return null;
  }

  /** A creation taken ended. */
  void done() {
    inFlight--;
  }

  int waiting() {
    return onTime.size() + catchingUp.size();
  }

}
