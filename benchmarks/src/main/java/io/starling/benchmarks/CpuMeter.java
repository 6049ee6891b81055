package io.starling.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time used by this JVM and, apart, by the embedded PostgreSQL server and its backends: on
 * a machine whose CPUs are all busy, CPU per completion says more about the platform than wall
 * time, and it says which side to work on.
 */
final class CpuMeter {

  private final ProcessHandle postgres;
  private final long jvmStart;
  private final long postgresStart;

  /** {@code postgresDataDirectory} holds the running server's {@code postmaster.pid}. */
  CpuMeter(Path postgresDataDirectory) throws IOException {
    long pid = Long.parseLong(
        Files.readAllLines(postgresDataDirectory.resolve("postmaster.pid")).get(0).trim());
    this.postgres = ProcessHandle.of(pid).orElseThrow(() ->
        new IllegalStateException("no PostgreSQL server with pid " + pid));
    this.jvmStart = jvmNanos();
    this.postgresStart = postgresNanos();
  }

  /** JVM and PostgreSQL CPU seconds used since this meter was made. */
  record Used(double jvmSeconds, double postgresSeconds) {}

  Used used() {
    return new Used((jvmNanos() - jvmStart) / 1e9, (postgresNanos() - postgresStart) / 1e9);
  }

  private static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The server and the backends alive now; a backend that exited takes its time with it. */
  private long postgresNanos() {
    return Stream.concat(Stream.of(postgres), postgres.descendants())
        .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
        .mapToLong(Duration::toNanos)
        .sum();
  }
}
