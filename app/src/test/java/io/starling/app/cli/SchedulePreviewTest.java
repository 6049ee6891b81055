package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code starling schedule preview}: the next slots, or one line saying what is wrong. */
class SchedulePreviewTest {

  private static String error(CommandLineRun run) {
    assertThat(run.exitCode()).as(run.err()).isNotZero();
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    return run.err().strip();
  }

  @Test
  void aCronExpressionInAZoneIsPrintedAsUtcInstantsAcrossTheClockChange() {
    CommandLineRun run = CommandLineRun.of("schedule", "preview", "--cron", "30 2 * * *",
        "--tz", "America/New_York", "--from", "2026-03-07T12:00:00Z", "--count", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).containsExactly("2026-03-08T07:30:00Z",
        "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z");
  }

  @Test
  void aFixedRateIsAnchoredAtFrom() {
    CommandLineRun run = CommandLineRun.of("schedule", "preview", "--rate", "90m",
        "--from", "2026-01-01T00:00:00Z", "--count", "2");

    assertThat(run.out().lines()).containsExactly("2026-01-01T01:30:00Z",
        "2026-01-01T03:00:00Z");
  }

  @Test
  void badInputIsOneLineThatSaysWhy() {
    assertThat(error(CommandLineRun.of("schedule", "preview", "--cron", "61 * * * *")))
        .startsWith("error: spec.schedule.cron_expression '61 * * * *' is not a 5-field cron");
    assertThat(error(CommandLineRun.of("schedule", "preview", "--cron", "@daily", "--tz",
        "Mars/Olympus"))).startsWith("error: spec.schedule.time_zone 'Mars/Olympus' is not");
    assertThat(error(CommandLineRun.of("schedule", "preview", "--rate", "0m")))
        .isEqualTo("error: --rate '0m': the number must be 1-2147483647");
    assertThat(error(CommandLineRun.of("schedule", "preview", "--rate", "99999999999m")))
        .startsWith("error: --rate '99999999999m' is not a number and m, h or d");
    assertThat(error(CommandLineRun.of("schedule", "preview", "--cron", "@daily", "--from",
        "yesterday"))).startsWith("error: --from 'yesterday' is not an ISO-8601 instant");
  }
}
