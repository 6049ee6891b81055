package io.starling.app.cli;

import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Schedule;
import io.starling.scheduler.slot.Slots;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code starling schedule}: schedules of launch plans. */
@Command(name = "schedule", description = "Schedules of launch plans.",
    mixinStandardHelpOptions = true, subcommands = ScheduleCommand.Preview.class)
public final class ScheduleCommand {

  /**
   * {@code starling schedule preview --cron EXPR | --rate 5m}: the next slots, computed by the
   * code the scheduler fires with, as ISO-8601 UTC instants, one per line.
   */
  @Command(name = "preview", mixinStandardHelpOptions = true,
      description = "Print the next slots of a cron expression or a fixed rate, as the"
          + " scheduler computes them (ISO-8601 UTC instants, one per line).")
  static final class Preview implements Callable<Integer> {

    private static final Pattern RATE = Pattern.compile("(\\d{1,10})([mhd])");

    static final class Kind {
      @Option(names = "--cron", required = true,
          description = "5-field cron expression or alias (@hourly, @daily, ...)")
      String cron;

      @Option(names = "--rate", required = true,
          description = "fixed rate: a number and m, h or d (5m, 2h, 1d); anchored at --from")
      String rate;
    }

    @ArgGroup(multiplicity = "1")
    Kind kind;

    @Option(names = "--tz", description = "IANA time zone of the cron expression (default UTC)")
    String zone = "";

    @Option(names = "--from", description = "ISO-8601 instant to start after (default: now)")
    String from;

    @Option(names = "--count", description = "how many slots (default: ${DEFAULT-VALUE})")
    int count = 10;

    @Override
    public Integer call() {
      if (count < 1 || count > 100_000) {
        throw new IllegalArgumentException("--count must be 1-100000, got " + count);
      }
      Instant start = start();
      Schedule.Builder schedule = Schedule.newBuilder().setTimeZone(zone);
      if (kind.cron != null) {
        schedule.setCronExpression(kind.cron);
      } else {
        schedule.setRate(rate(kind.rate));
      }
      Slots slots = Slots.of(schedule.build(), start);
      Instant after = start;
      for (int i = 0; i < count; i++) {
        Optional<Instant> next = slots.next(after);
        if (next.isEmpty()) {
          break;
        }
        after = next.get();
        System.out.println(after);
      }
      return 0;
    }

    private Instant start() {
      if (from == null) {
        return Instant.now();
      }
      try {
        return Instant.parse(from);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("--from '" + from + "' is not an ISO-8601 instant"
            + " (such as 2026-03-08T00:00:00Z)");
      }
    }

    private static FixedRate rate(String text) {
      Matcher match = RATE.matcher(text.strip());
      if (!match.matches()) {
        throw new IllegalArgumentException("--rate '" + text + "' is not a number and m, h or d"
            + " (such as 5m, 2h, 1d)");
      }
      long value = Long.parseLong(match.group(1));
      if (value < 1 || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("--rate '" + text + "': the number must be 1-"
            + Integer.MAX_VALUE);
      }
      FixedRate.Unit unit = switch (match.group(2)) {
        case "m" -> FixedRate.Unit.MINUTE;
        case "h" -> FixedRate.Unit.HOUR;
        default -> FixedRate.Unit.DAY;
      };
      return FixedRate.newBuilder().setValue((int) value).setUnit(unit).build();
    }
  }
}
