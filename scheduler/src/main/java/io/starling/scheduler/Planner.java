package io.starling.scheduler;

import io.starling.proto.core.Schedule;
import io.starling.scheduler.slot.Slots;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns loaded schedules into states ready to run: their slots parsed and what they missed
 * planned by their catch-up policy, logged and counted when skipped. On a worker thread: a cron
 * expression takes tens of microseconds to parse and a takeover may load a hundred thousand,
 * which must not stall an event loop.
 */
final class Planner {

  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

  private final WorkerExecutor worker;
  private final TimeSource time;
  private final SchedulerMetrics metrics;
  private final Duration grace;

  Planner(WorkerExecutor worker, TimeSource time, SchedulerMetrics metrics, Duration grace) {
    this.worker = worker;
    this.time = time;
    this.metrics = metrics;
    this.grace = grace;
  }

  /**
   * The states of {@code schedules}, each going on from what {@code fired} says it fired up to
   * (null: nothing yet, so from its activation); a schedule that cannot fire is left out,
   * saying why, and never stops the others.
   */
  Future<List<ScheduleState>> plan(List<ActiveSchedule> schedules,
      Function<ActiveSchedule, Instant> fired) {
    if (schedules.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return worker.executeBlocking(() -> {
      Instant now = time.now();
      List<ScheduleState> states = new ArrayList<>(schedules.size());
      for (ActiveSchedule schedule : schedules) {
        ScheduleState state = plan(schedule, fired.apply(schedule), now);
        if (state != null) {
          states.add(state);
        }
      }
      return states;
    }, false);
  }

  private ScheduleState plan(ActiveSchedule schedule, Instant fired, Instant now) {
    Slots slots;
    Instant from = fired == null || fired.isBefore(schedule.activatedAt())
        ? schedule.activatedAt() : fired;
    Schedule spec = schedule.schedule();
    CatchUp plan;
    try {
      slots = Slots.of(spec, schedule.activatedAt());
      plan = CatchUp.plan(slots, from, now, spec.getCatchUp(),
          spec.hasCatchUpWindow() ? Duration.ofSeconds(spec.getCatchUpWindow().getSeconds(),
              spec.getCatchUpWindow().getNanos()) : null, grace);
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("launch_plan", describe(schedule))
          .log("schedule cannot fire: {}", e.toString());
      return null;
    }
    if (plan.outsideWindow() + plan.byPolicy() > 0) {
      metrics.skipped.labelValues("window").inc(plan.outsideWindow());
      metrics.skipped.labelValues("policy").inc(plan.byPolicy());
      LOG.atInfo().addKeyValue("launch_plan", describe(schedule))
          .addKeyValue("outside_window", plan.outsideWindow())
          .addKeyValue("by_policy", plan.byPolicy()).addKeyValue("since", from)
          .log("missed slots skipped, by the schedule's catch-up policy ({})", spec.getCatchUp());
    }
    ScheduleState state = new ScheduleState(schedule, slots, from);
    state.next = plan.next();
    return state;
  }

  static String describe(ActiveSchedule schedule) {
    return schedule.launchPlan().getProject() + "/" + schedule.launchPlan().getDomain() + "/"
        + schedule.launchPlan().getName() + "@" + schedule.launchPlan().getVersion();
  }
}
