package io.starling.scheduler;

import io.starling.scheduler.slot.Slots;
import io.starling.scheduler.wheel.TimingWheel;
import java.time.Instant;

/**
 * One active schedule as its owner runs it. At most one of its slots is being fired at a time,
 * in slot order, so {@code fired} is a watermark: every slot up to it has its execution.
 * Guarded by the scheduler's lock.
 */
final class ScheduleState {

  final ActiveSchedule plan;
  final Slots slots;
  /** Every slot up to here has its execution. */
  Instant fired;
  /** The slot to fire next; null when the schedule never fires again. */
  Instant next;
  /** Its next slot is queued, being created, or waiting to be tried again. */
  boolean pending;
  /** The pending slot came from the wheel on time, not from a catch-up. */
  boolean onTime;
  /** Consecutive failed tries of the pending slot. */
  int failures;
  /** Its entry in the wheel while it waits there. */
  TimingWheel.Entry<ScheduleState> entry;
  /** It was deactivated or its shard stopped here: whatever is in flight is let go. */
  boolean removed;

  ScheduleState(ActiveSchedule plan, Slots slots, Instant fired) {
    this.plan = plan;
    this.slots = slots;
    this.fired = fired;
  }

  /**
   * What a snapshot taken at {@code takenAt} records: null when no slot up to then is left to
   * fire, else the watermark.
   */
  Instant behind(Instant takenAt) {
    return !pending && (next == null || next.isAfter(takenAt)) ? null : fired;
  }
}
