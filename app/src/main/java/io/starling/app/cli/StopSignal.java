package io.starling.app.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT (Ctrl-C), so that a server command stops gracefully and exits 0:
 * a supervisor tells a requested stop from a crash by the exit code, and the JVM's default for
 * a signal is 128 + its number.
 */
final class StopSignal {

  private StopSignal() {}

  /** Blocks until SIGTERM or SIGINT arrives. */
  static void await() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    stop.await();
  }
}
