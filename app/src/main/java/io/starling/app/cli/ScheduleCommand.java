package io.starling.app.cli;

import com.google.protobuf.util.Timestamps;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.ScheduleEntry;
import io.starling.proto.admin.ScheduleList;
import io.starling.proto.admin.ScheduleListRequest;
import io.starling.app.spec.SpecReader;
import io.starling.proto.core.Schedule;
import io.starling.scheduler.slot.Slots;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code starling schedule}: schedules of launch plans. */
@Command(name = "schedule", description = "Schedules of launch plans.",
    mixinStandardHelpOptions = true,
    subcommands = {ScheduleCommand.ListActive.class, ScheduleCommand.Preview.class})
public final class ScheduleCommand {

  /** {@code starling schedule list}: each active schedule of a project and domain. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the active schedules of a project and domain, each with its next"
          + " slots after the server's now.")
  static final class ListActive implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Option(names = "--slots", description = "how many next slots per schedule, at most 100"
        + " (default: ${DEFAULT-VALUE})")
    int slots = 1;

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        System.out.printf("%-40s %-24s %-8s %s%n", "LAUNCH PLAN", "SCHEDULE", "CATCH-UP",
            "NEXT SLOT");
        String token = "";
        do {
          ScheduleList page = client.call(AdminServiceGrpcClient.ListSchedules,
              ScheduleListRequest.newBuilder().setProject(server.project)
                  .setDomain(server.domain).setSlots(slots).setToken(token).build());
          page.getSchedulesList().forEach(ListActive::print);
          token = page.getNextToken();
        } while (!token.isEmpty());
      }
      return 0;
    }

    private static void print(ScheduleEntry entry) {
      LaunchPlan plan = entry.getLaunchPlan();
      Schedule schedule = plan.getSpec().getSchedule();
      String text = schedule.hasRate()
          ? "every " + Integer.toUnsignedString(schedule.getRate().getValue()) + " "
              + schedule.getRate().getUnit().name().toLowerCase(Locale.ROOT)
          : schedule.getCronExpression()
              + (schedule.getTimeZone().isEmpty() ? "" : " " + schedule.getTimeZone());
      String next = entry.getNextSlotsCount() == 0 ? "never"
          : entry.getNextSlotsList().stream().map(Timestamps::toString)
              .collect(Collectors.joining(" "));
      System.out.printf("%-40s %-24s %-8s %s%n", Format.id(plan.getId()), text,
          schedule.getCatchUp().name().toLowerCase(Locale.ROOT), next);
    }
  }

  /**
   * {@code starling schedule preview --cron EXPR | --rate 5m}: the next slots, computed by the
   * code the scheduler fires with, as ISO-8601 UTC instants, one per line.
   */
  @Command(name = "preview", mixinStandardHelpOptions = true,
      description = "Print the next slots of a cron expression or a fixed rate, as the"
          + " scheduler computes them (ISO-8601 UTC instants, one per line).")
  static final class Preview implements Callable<Integer> {

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
        schedule.setRate(SpecReader.rate(kind.rate, "--rate"));
      }
      Slots.of(schedule.build(), start).next(start, count).forEach(System.out::println);
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
  }
}
