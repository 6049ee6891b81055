package io.starling.time;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The machine's clocks, with callbacks on Vert.x timers (event-loop threads). */
final class VertxTimeSource implements TimeSource {

  private final Vertx vertx;
  private final Clock clock;

  VertxTimeSource(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public long millis() {
    return clock.millis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    long id = vertx.setTimer(atLeastOneMilli(delay), ignored -> task.run());
    return () -> vertx.cancelTimer(id);
  }

  @Override
  public Timer periodic(Duration period, Runnable task) {
    long id = vertx.setPeriodic(atLeastOneMilli(period), ignored -> task.run());
    return () -> vertx.cancelTimer(id);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** Vert.x timers take whole milliseconds, at least one. */
  private static long atLeastOneMilli(Duration delay) {
    return Math.max(1, delay.toMillis());
  }
}
