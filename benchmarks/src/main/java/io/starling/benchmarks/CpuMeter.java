package io.starling.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * CPU time used by this JVM and, apart, by the embedded PostgreSQL server and its backends: on
 * a machine whose CPUs are all busy, CPU per completion says more about the platform than wall
 * time, and it says which side to work on.
 */
final class CpuMeter {

  private final ProcessCpu postgres;
  private final long jvmStart;

  /** {@code postgresDataDirectory} holds the running server's {@code postmaster.pid}. */
  CpuMeter(Path postgresDataDirectory) throws IOException {
    this.postgres = ProcessCpu.postgres(postgresDataDirectory);
    this.jvmStart = jvmNanos();
  }

  /** JVM and PostgreSQL CPU seconds used since this meter was made. */
  record Used(double jvmSeconds, double postgresSeconds) {}

  Used used() {
    return new Used((jvmNanos() - jvmStart) / 1e9, postgres.seconds());
  }

  private static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
