package io.starling.scheduler.slot;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The slots of a 5-field cron expression (names of months and days, ranges, steps, lists,
 * {@code L} for the last day of the month) or of an alias ({@code @hourly}, {@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}), in a time zone.
 *
 * <p>The expression is matched against the zone's wall clock, and each matching local time is
 * then placed on the time line as {@link ZonedDateTime#ofLocal} places it, which gives the
 * rules of the cron daemons for daylight saving time: a local time that does not exist (the
 * clocks jump from 02:00 to 03:00) fires later by the length of the gap (02:30 fires at 03:30),
 * and one that occurs twice (the clocks go back) fires once, at its first occurrence. A slot is
 * never fired twice: a local time that lands on an instant already passed is skipped.
 */
final class CronSlots implements Slots {

  /** Unix crontab's fields and rules (day of month or day of week), plus {@code L}. */
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.defineCron()
      .withMinutes().withValidRange(0, 59).withStrictRange().and()
      .withHours().withValidRange(0, 23).withStrictRange().and()
      .withDayOfMonth().withValidRange(1, 31).supportsL().withStrictRange().and()
      .withMonth().withValidRange(1, 12).withStrictRange().and()
      .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
      .withStrictRange().and()
      .instance());
  private static final Map<String, String> ALIASES = Map.of(
      "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *");
  /** Local times tried past the first before giving up: a few DST-skipped ones at the most. */
  private static final int MAX_SKIPPED = 8;

  private final ExecutionTime matcher;
  private final ZoneId zone;

  private CronSlots(ExecutionTime matcher, ZoneId zone) {
    this.matcher = matcher;
    this.zone = zone;
  }

  static CronSlots parse(String expression, ZoneId zone) {
    String trimmed = expression.strip();
    String cron = ALIASES.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    try {
      return new CronSlots(ExecutionTime.forCron(PARSER.parse(cron).validate()), zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.schedule.cron_expression '" + expression
          + "' is not a 5-field cron expression or alias (@hourly, @daily, @weekly, @monthly,"
          + " @yearly): " + e.getMessage());
    }
  }

  @Override
  public Optional<Instant> next(Instant after) {
    LocalDateTime local = after.atZone(zone).toLocalDateTime();
    for (int tried = 0; tried <= MAX_SKIPPED; tried++) {
      Optional<LocalDateTime> match = matcher.nextExecution(local.atZone(ZoneOffset.UTC))
          .map(ZonedDateTime::toLocalDateTime);
      if (match.isEmpty()) {
        return Optional.empty();
      }
      local = match.get();
      Instant slot = ZonedDateTime.ofLocal(local, zone, null).toInstant();
      if (slot.isAfter(after)) {
        return Optional.of(slot);
      }
    }
    throw new IllegalStateException("no slot after " + after + " within " + MAX_SKIPPED
        + " local times: " + matcher);
  }
}
