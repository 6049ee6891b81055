package io.starling.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used by a set of processes and their descendants since the meter was made. A
 * descendant that exited (a PostgreSQL backend that closed) takes its time with it.
 */
final class ProcessCpu {

  private final List<ProcessHandle> processes;
  private final long start;

  ProcessCpu(List<ProcessHandle> processes) {
    this.processes = List.copyOf(processes);
    this.start = nanos();
  }

  /** The PostgreSQL server whose {@code postmaster.pid} is in {@code dataDirectory}. */
  static ProcessCpu postgres(Path dataDirectory) throws IOException {
    long pid = Long.parseLong(
        Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    return new ProcessCpu(List.of(ProcessHandle.of(pid).orElseThrow(() ->
        new IllegalStateException("no PostgreSQL server with pid " + pid))));
  }

  /** CPU seconds used since this meter was made. */
  double seconds() {
    return (nanos() - start) / 1e9;
  }

  private long nanos() {
    return processes.stream()
        .flatMap(process -> Stream.concat(Stream.of(process), process.descendants()))
        .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
        .mapToLong(Duration::toNanos)
        .sum();
  }
}
