package io.starling.schema;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on what real replicas do, for the tests that run several (in processes or in one
 * JVM): they run on the machine's time and say what they did only in the database, so a test
 * polls the database until a condition holds, bounded by a deadline that fails the test with
 * what it waited for.
 */
public final class RealTime {

  private RealTime() {}

  public static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + timeout.toSeconds() + "s for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
