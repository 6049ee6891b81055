package io.starling.scheduler.slot;

import io.starling.proto.core.FixedRate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The slots of a fixed rate, anchored at the launch plan's activation: activation + k × period
 * for k = 1, 2, ..., so the slots are the same whichever replica computes them, and after a
 * restart. A day is 24 hours: a rate keeps its period across daylight saving time.
 */
record RateSlots(Instant anchor, Duration period) implements Slots {

  static RateSlots of(FixedRate rate, Instant anchor) {
    if (Integer.toUnsignedLong(rate.getValue()) < 1) {
      throw new IllegalArgumentException("spec.schedule.rate.value must be at least 1, got "
          + Integer.toUnsignedLong(rate.getValue()));
    }
    long value = Integer.toUnsignedLong(rate.getValue());
    Duration unit = switch (rate.getUnit()) {
      case MINUTE -> Duration.ofMinutes(1);
      case HOUR -> Duration.ofHours(1);
      case DAY -> Duration.ofDays(1);
      case UNRECOGNIZED -> throw new IllegalArgumentException(
          "spec.schedule.rate.unit must be MINUTE, HOUR or DAY");
    };
    return new RateSlots(anchor, unit.multipliedBy(value));
  }

  @Override
  public Optional<Instant> next(Instant after) {
    if (after.isBefore(anchor)) {
      return Optional.of(anchor.plus(period));
    }
    long periods = Duration.between(anchor, after).dividedBy(period) + 1;
    return Optional.of(anchor.plus(period.multipliedBy(periods)));
  }
}
