package io.starling.scheduler.slot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Schedule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Next slots against a table: month ends, leap days, daylight saving time, aliases. */
class CronSlotsTest {

  private static final Instant ACTIVATED = Instant.parse("2026-01-01T00:00:00Z");

  private static List<String> slots(String cron, String zone, String from, int count) {
    return Slots.of(Schedule.newBuilder().setCronExpression(cron).setTimeZone(zone).build(),
        ACTIVATED).next(Instant.parse(from), count).stream().map(Instant::toString).toList();
  }

  @ParameterizedTest(name = "{0} in {1} after {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # expression       | zone             | after                | next slots
      0 0 31 * *         | UTC              | 2026-01-31T00:00:00Z | 2026-03-31T00:00:00Z 2026-05-31T00:00:00Z
      0 12 L * *         | UTC              | 2026-01-31T12:00:00Z | 2026-02-28T12:00:00Z 2026-03-31T12:00:00Z
      0 12 L * *         | UTC              | 2028-01-31T12:00:00Z | 2028-02-29T12:00:00Z 2028-03-31T12:00:00Z
      0 0 29 2 *         | UTC              | 2026-01-01T00:00:00Z | 2028-02-29T00:00:00Z 2032-02-29T00:00:00Z
      @yearly            | UTC              | 2026-06-01T00:00:00Z | 2027-01-01T00:00:00Z 2028-01-01T00:00:00Z
      @monthly           | UTC              | 2026-01-31T23:59:59Z | 2026-02-01T00:00:00Z 2026-03-01T00:00:00Z
      @weekly            | UTC              | 2026-01-01T00:00:00Z | 2026-01-04T00:00:00Z 2026-01-11T00:00:00Z
      @hourly            | UTC              | 2026-01-01T00:00:00Z | 2026-01-01T01:00:00Z 2026-01-01T02:00:00Z
      */15 9-10 * * MON-FRI | UTC           | 2026-01-02T10:40:00Z | 2026-01-02T10:45:00Z 2026-01-05T09:00:00Z
      0 8 1,15 JAN,JUL * | UTC              | 2026-01-15T08:00:00Z | 2026-07-01T08:00:00Z 2026-07-15T08:00:00Z
      0 0 13 * FRI       | UTC              | 2026-01-01T00:00:00Z | 2026-01-02T00:00:00Z 2026-01-09T00:00:00Z
      30 2 * * *         | America/New_York | 2026-03-07T12:00:00Z | 2026-03-08T07:30:00Z 2026-03-09T06:30:00Z
      30 1 * * *         | America/New_York | 2026-10-31T12:00:00Z | 2026-11-01T05:30:00Z 2026-11-02T06:30:00Z
      30 * * * *         | America/New_York | 2026-11-01T04:00:00Z | 2026-11-01T04:30:00Z 2026-11-01T05:30:00Z 2026-11-01T07:30:00Z
      30 * * * *         | America/New_York | 2026-03-08T05:00:00Z | 2026-03-08T05:30:00Z 2026-03-08T06:30:00Z 2026-03-08T07:30:00Z 2026-03-08T08:30:00Z
      30 2 * * *         | Europe/Berlin    | 2026-03-28T12:00:00Z | 2026-03-29T01:30:00Z 2026-03-30T00:30:00Z
      30 2 * * *         | Europe/Berlin    | 2026-10-24T12:00:00Z | 2026-10-25T00:30:00Z 2026-10-26T01:30:00Z
      15 2 * * *         | Australia/Lord_Howe | 2026-10-03T00:00:00Z | 2026-10-03T15:45:00Z 2026-10-04T15:15:00Z
      0 9 * * *          | Asia/Kolkata     | 2026-01-01T00:00:00Z | 2026-01-01T03:30:00Z 2026-01-02T03:30:00Z
      """)
  void nextSlotsMatchTheTable(String cron, String zone, String after, String expected) {
    List<String> want = List.of(expected.split(" "));
    assertThat(slots(cron, zone, after, want.size())).containsExactlyElementsOf(want);
  }

  @Test
  void aFixedRateIsAnchoredAtActivationAndKeepsItsPeriod() {
    Slots rate = Slots.of(Schedule.newBuilder().setRate(FixedRate.newBuilder().setValue(90)
        .setUnit(FixedRate.Unit.MINUTE)).build(), ACTIVATED);

    assertThat(rate.next(Instant.parse("2025-06-01T00:00:00Z")))
        .contains(Instant.parse("2026-01-01T01:30:00Z"));
    assertThat(rate.next(ACTIVATED)).contains(Instant.parse("2026-01-01T01:30:00Z"));
    assertThat(rate.next(Instant.parse("2026-01-01T01:30:00Z")))
        .contains(Instant.parse("2026-01-01T03:00:00Z"));
    assertThat(rate.next(Instant.parse("2026-01-01T02:59:59.999Z")))
        .contains(Instant.parse("2026-01-01T03:00:00Z"));
  }

  @Test
  void badSchedulesAreRefusedSayingWhichFieldAndWhy() {
    assertThatThrownBy(() -> Slots.of(Schedule.newBuilder().setCronExpression("61 * * * *")
        .build(), ACTIVATED))
        .hasMessageStartingWith("spec.schedule.cron_expression '61 * * * *' is not a 5-field"
            + " cron expression");
    assertThatThrownBy(() -> Slots.of(Schedule.newBuilder().setCronExpression("0 0 30 2 *")
        .build(), ACTIVATED))
        .hasMessage("spec.schedule.cron_expression '0 0 30 2 *' never fires (no such date)");
    assertThatThrownBy(() -> Slots.of(Schedule.newBuilder().setCronExpression("@daily")
        .setTimeZone("Mars/Olympus").build(), ACTIVATED))
        .hasMessageStartingWith("spec.schedule.time_zone 'Mars/Olympus' is not an IANA time zone");
    assertThatThrownBy(() -> Slots.of(Schedule.newBuilder().setRate(FixedRate.newBuilder()
        .setValue(0)).build(), ACTIVATED))
        .hasMessage("spec.schedule.rate.value must be at least 1, got 0");
    assertThatThrownBy(() -> Slots.of(Schedule.getDefaultInstance(), ACTIVATED))
        .hasMessage("spec.schedule needs a cron_expression or a rate");
  }
}
