package io.starling.scheduler;

import io.starling.proto.core.Schedule;
import io.starling.scheduler.slot.Slots;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a schedule taken over goes on: from the first slot after what its last owner fired,
 * minus what the catch-up window and policy skip. {@code next} is the first slot to fire (at
 * or before now: a missed one, caught up at once; null: the schedule never fires again);
 * {@code outsideWindow} and {@code byPolicy} count the missed slots skipped.
 */
record CatchUp(Instant next, long outsideWindow, long byPolicy) {

  static CatchUp plan(Slots slots, Instant fired, Instant now, Schedule.CatchUp policy,
      Duration window) {
    Instant slot = slots.next(fired).orElse(null);
    long outsideWindow = 0;
    if (window != null) {
      Instant cutoff = now.minus(window);
      while (slot != null && slot.isBefore(cutoff)) {
        outsideWindow++;
        slot = slots.next(slot).orElse(null);
      }
    }
    if (slot == null || slot.isAfter(now) || policy == Schedule.CatchUp.ALL) {
      return new CatchUp(slot, outsideWindow, 0);
    }
    long missed = 0;
    Instant latest = slot;
    while (slot != null && !slot.isAfter(now)) {
      missed++;
      latest = slot;
      slot = slots.next(slot).orElse(null);
    }
    return policy == Schedule.CatchUp.LATEST
        ? new CatchUp(latest, outsideWindow, missed - 1)
        : new CatchUp(slot, outsideWindow, missed);
  }
}
