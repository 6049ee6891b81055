package io.starling.scheduler.slot;

import io.starling.proto.core.Schedule;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slots of a schedule: the instants it fires at. The scheduler fires with this code, the
 * admin checks schedules with it, and {@code starling schedule preview} prints it, so what a
 * user previews is what runs.
 */
public sealed interface Slots permits CronSlots, RateSlots {

  /** The first slot strictly after {@code after}; empty when the schedule never fires again. */
  Optional<Instant> next(Instant after);

  /** The first {@code count} slots after {@code after}; fewer when the schedule ends first. */
  default List<Instant> next(Instant after, int count) {
    List<Instant> slots = new ArrayList<>(Math.min(count, 1024));
    Instant at = after;
    while (slots.size() < count) {
      Optional<Instant> slot = next(at);
      if (slot.isEmpty()) {
        break;
      }
      at = slot.get();
      slots.add(at);
    }
    return slots;
  }

  /**
   * The slots of {@code schedule} (of a launch plan activated at {@code activatedAt}, where a
   * fixed rate is anchored). Throws {@link IllegalArgumentException} saying which field is
   * wrong and why: an expression that is not cron, a rate below 1, an unknown time zone, a
   * schedule that never fires.
   */
  static Slots of(Schedule schedule, Instant activatedAt) {
    ZoneId zone = zone(schedule.getTimeZone());
    Slots slots = switch (schedule.getScheduleCase()) {
      case CRON_EXPRESSION -> CronSlots.parse(schedule.getCronExpression(), zone);
      case RATE -> RateSlots.of(schedule.getRate(), activatedAt);
      default -> throw new IllegalArgumentException(
          "spec.schedule needs a cron_expression or a rate");
    };
    if (slots.next(activatedAt).isEmpty()) {
      throw new IllegalArgumentException("spec.schedule.cron_expression '"
          + schedule.getCronExpression() + "' never fires (no such date)");
    }
    return slots;
  }

  /** An IANA zone name; empty is UTC. */
  static ZoneId zone(String name) {
    if (name.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(name.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("spec.schedule.time_zone '" + name + "' is not an IANA"
          + " time zone (such as UTC, Europe/Berlin, America/New_York)");
    }
  }
}
