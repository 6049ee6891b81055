package io.starling.benchmarks;

import io.starling.time.TimeSource;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading the time through the propeller's {@link TimeSource} costs next to reading a
 * {@link Clock} directly, as the propeller did before it had one: it reads the wall clock once
 * per round and the monotonic clock once per round handed out by the rate limit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimeSourceBenchmark {

  private Vertx vertx;
  private TimeSource time;
  private Clock clock;

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    time = TimeSource.vertx(vertx);
    clock = Clock.systemUTC();
  }

  @TearDown
  public void tearDown() {
    vertx.close().await();
  }

  @Benchmark
  public Instant clockInstant() {
    return clock.instant();
  }

  @Benchmark
  public Instant timeSourceNow() {
    return time.now();
  }

  @Benchmark
  public long systemNanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public long timeSourceNanoTime() {
    return time.nanoTime();
  }
}
