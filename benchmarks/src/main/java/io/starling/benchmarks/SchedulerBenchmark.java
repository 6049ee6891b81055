package io.starling.benchmarks;

import io.starling.proto.core.Schedule;
import io.starling.scheduler.slot.Slots;
import io.starling.scheduler.wheel.TimingWheel;
import io.starling.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's two hot paths: the next slot of a schedule (once per fired slot), and the
 * timing wheel's add and expiry (once per slot too): 100,000 schedules firing once a minute
 * need about 1,700 of each per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerBenchmark {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final int ITEMS = 100_000;

  /** One schedule and where its slots have got to. */
  @State(Scope.Benchmark)
  public static class Cron {

    /** A cron expression, and after a {@code |} its zone. */
    @Param({"@hourly|UTC", "*/15 9-17 * * MON-FRI|UTC", "30 2 * * *|America/New_York",
        "0 12 L * *|Europe/Berlin"})
    public String schedule;

    private Slots slots;
    private Instant cursor;

    @Setup
    public void setUp() {
      String[] parts = schedule.split("\\|");
      slots = Slots.of(Schedule.newBuilder().setCronExpression(parts[0])
          .setTimeZone(parts[1]).build(), START);
      cursor = START;
    }
  }

  @Benchmark
  public Instant nextSlot(Cron cron) {
    cron.cursor = cron.slots.next(cron.cursor).orElse(START);
    return cron.cursor;
  }

  /** Per item: one add, and its expiry among 100,000 spread over a minute of 100 ms ticks. */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long wheelAddAndExpire() {
    ManualTimeSource time = new ManualTimeSource(START);
    long[] expired = {0};
    TimingWheel<Integer> wheel = new TimingWheel<>(time, Duration.ofMillis(100), 512,
        item -> expired[0]++);
    wheel.start();
    for (int i = 0; i < ITEMS; i++) {
      wheel.add(i, START.plusMillis((i * 7919L) % 60_000));
    }
    time.advance(Duration.ofSeconds(61));
    if (expired[0] != ITEMS) {
      throw new IllegalStateException(expired[0] + " of " + ITEMS + " expired");
    }
    return expired[0];
  }
}
