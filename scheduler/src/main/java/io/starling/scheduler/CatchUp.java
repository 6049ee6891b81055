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
 *
 * <p>Slots due within {@code grace} of now always fire, whatever the policy and the window: a
 * handover or a snapshot a few seconds old must not cost the slots that fell due meanwhile,
 * which the last owner may not have fired. The policy and the window decide about the older
 * ones, missed while no replica ran the schedule.
 */
record CatchUp(Instant next, long outsideWindow, long byPolicy) {

  static CatchUp plan(Slots slots, Instant fired, Instant now, Schedule.CatchUp policy,
      Duration window, Duration grace) {
    Instant recent = now.minus(grace);
    Instant slot = slots.next(fired).orElse(null);
    long outsideWindow = 0;
    if (window != null && window.compareTo(grace) > 0) {
      Instant cutoff = now.minus(window);
      while (slot != null && slot.isBefore(cutoff)) {
        outsideWindow++;
        slot = slots.next(slot).orElse(null);
      }
    } else if (window != null) {
      while (slot != null && !slot.isAfter(recent)) {
        outsideWindow++;
        slot = slots.next(slot).orElse(null);
      }
    }
    if (slot == null || slot.isAfter(recent) || policy == Schedule.CatchUp.ALL) {
      return new CatchUp(slot, outsideWindow, 0);
    }
    long old = 0;
    Instant latest = slot;
    while (slot != null && !slot.isAfter(recent)) {
      old++;
      latest = slot;
      slot = slots.next(slot).orElse(null);
    }
    boolean recentSlot = slot != null && !slot.isAfter(now);
    if (policy == Schedule.CatchUp.LATEST && !recentSlot) {
      return new CatchUp(latest, outsideWindow, old - 1);
    }
    return new CatchUp(slot, outsideWindow, old);
  }
}
