package io.starling.benchmarks;

import io.starling.admin.AdminOptions;
import io.starling.proto.core.ExecutionIdentifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The multi-replica harness: R replicas of {@code starling serve} (separate processes, each
 * with W propeller workers) on one embedded PostgreSQL with durable commits; N executions of a
 * {@link Workload} launched through the replicas' admins in turn, once the shards have spread.
 * Prints the completions/s, the CPU the replicas and PostgreSQL used per completion, and the
 * PostgreSQL connections the replicas held; checks that every node succeeded.
 *
 * <p>The last line is one {@code result} line of {@code key=value} pairs, which
 * {@code benchmarks/plot} reads.
 *
 * <pre>benchmarks/run-cluster REPLICAS WORKERS [SHAPE] [N] [K]</pre>
 */
public final class ClusterHarness {

  private static final int SHARDS = AdminOptions.DEFAULT_SHARD_COUNT;

  private ClusterHarness() {}

  public static void main(String[] args) throws Exception {
    int replicas = Integer.parseInt(args[0]);
    int workers = Integer.parseInt(args[1]);
    int executions = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int nodes = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    Workload workload = new Workload(args.length > 2 ? args[2] : "fan", nodes, "cluster");
    int warmups = Integer.parseInt(System.getenv().getOrDefault("HARNESS_WARMUP", "1"));
    PrintStream out = System.out;
    try (ServeCluster cluster = new ServeCluster(replicas, Duration.ofSeconds(5),
        "  workers: " + workers + "\n")) {
      cluster.start(replicas);
      Map<String, Integer> spread = cluster.awaitBalanced(replicas, SHARDS, Duration.ofMinutes(2));
      out.println("shards per replica: " + spread);
      workload.register(cluster.clients().get(0));
      for (int round = 0; round < warmups; round++) {
        long start = System.nanoTime();
        workload.launch(cluster.clients(), "w" + round + "-", executions);
        workload.awaitNoneActive(cluster.clients().get(0));
        out.printf("warm-up %d of %d: %.3fs%n", round + 1, warmups,
            (System.nanoTime() - start) / 1e9);
      }
      ProcessCpu replicaCpu = new ProcessCpu(cluster.processes().stream()
          .map(Process::toHandle).toList());
      ProcessCpu postgresCpu = ProcessCpu.postgres(cluster.postgresData());
      String walStart = wal(cluster);
      long start = System.nanoTime();
      List<ExecutionIdentifier> ids = workload.launch(cluster.clients(), "e", executions);
      workload.awaitNoneActive(cluster.clients().get(0));
      double seconds = (System.nanoTime() - start) / 1e9;
      double replicaSeconds = replicaCpu.seconds();
      double postgresSeconds = postgresCpu.seconds();
      int connections = connections(cluster);
      long walBytes = walSince(cluster, walStart);
      long rss = cluster.processes().stream().mapToLong(ClusterHarness::residentMegabytes)
          .max().orElse(0);

      long expected = workload.completions(executions);
      long succeeded = workload.succeeded(cluster.clients().get(0), ids);
      out.printf("replicas=%d workers=%d shape=%s executions=%d %s=%d wall=%.3fs"
              + " completions/s=%.0f%n", replicas, workers, workload.shape(), executions,
          workload.unit(), expected, seconds, expected / seconds);
      out.printf("cpu: replicas=%.2fs postgresql=%.2fs, per completion replicas=%.0fus"
              + " postgresql=%.0fus; PostgreSQL connections of the replicas: %d; WAL %d bytes"
              + " per completion; largest replica resident %d MB%n",
          replicaSeconds, postgresSeconds, replicaSeconds * 1e6 / expected,
          postgresSeconds * 1e6 / expected, connections, walBytes / expected, rss);
      out.printf("%s SUCCEEDED in PostgreSQL: %d of %d%n", workload.unit(), succeeded, expected);
      out.printf("result replicas=%d workers=%d shape=%s completions=%d seconds=%.3f"
              + " completions_per_s=%.0f replica_cpu_us=%.0f postgres_cpu_us=%.0f"
              + " connections=%d wal_bytes=%d replica_rss_mb=%d%n", replicas, workers,
          workload.shape(), expected, seconds, expected / seconds,
          replicaSeconds * 1e6 / expected, postgresSeconds * 1e6 / expected, connections,
          walBytes / expected, rss);
      if (succeeded != expected) {
        System.exit(1);
      }
    }
  }

  /** The resident memory of a replica process (Linux), in MB. */
  private static long residentMegabytes(Process process) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
          .findFirst().orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String wal(ServeCluster cluster) throws Exception {
    String[] lsn = {null};
    cluster.query("SELECT pg_current_wal_lsn()", rows -> lsn[0] = rows.getString(1));
    return lsn[0];
  }

  /** WAL bytes written since {@code lsn}: what the database's disk and its replicas carry. */
  private static long walSince(ServeCluster cluster, String lsn) throws Exception {
    long[] bytes = {0};
    cluster.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsn + "')",
        rows -> bytes[0] = rows.getLong(1));
    return bytes[0];
  }

  /** Backends of the replicas: every connection but this query's own. */
  private static int connections(ServeCluster cluster) throws Exception {
    int[] count = {0};
    cluster.query("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        + " AND pid <> pg_backend_pid()", rows -> count[0] = rows.getInt(1));
    return count[0];
  }
}
