package io.starling.benchmarks;

import io.starling.admin.AdminOptions;
import io.starling.proto.core.ExecutionIdentifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * How long a handover takes: three replicas of {@code starling serve} run chains of sleep tasks;
 * one is killed with SIGKILL mid-run (its sockets close, and its peers notice at once) or
 * paused with SIGSTOP (silent, as a crashed machine or a cut network is: only the failure
 * detector notices). Measured in PostgreSQL's clock from the signal: when the first and the
 * last of its shards were leased by another replica, and when the first round of an execution
 * in one of those shards was written. Every execution must still succeed, each node once.
 *
 * <pre>benchmarks/run-handover [HEARTBEAT_TIMEOUT_SECONDS] [kill|pause]    (default 5 kill)</pre>
 */
public final class HandoverHarness {

  private static final int SHARDS = AdminOptions.DEFAULT_SHARD_COUNT;
  private static final int EXECUTIONS = 60;

  private HandoverHarness() {}

  public static void main(String[] args) throws Exception {
    Duration heartbeatTimeout = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
    boolean pause = args.length > 1 && args[1].equals("pause");
    Workload workload = new Workload("chain", 40, "handover", "250ms");
    try (ServeCluster cluster = new ServeCluster(3, heartbeatTimeout, "  workers: 2\n")) {
      cluster.start(3);
      cluster.awaitBalanced(3, SHARDS, Duration.ofMinutes(2));
      workload.register(cluster.clients().get(0));
      List<ExecutionIdentifier> ids = workload.launch(cluster.clients(), "h", EXECUTIONS);
      LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());

      List<Integer> lost = new ArrayList<>();
      cluster.query("SELECT shard FROM shard_leases WHERE owner = 'replica-2' AND released_at"
          + " IS NULL", rows -> lost.add(rows.getInt(1)));
      String shards = lost.stream().map(String::valueOf).collect(Collectors.joining(","));
      int[] active = {0};
      cluster.query("SELECT count(*) FROM executions WHERE shard IN (" + shards + ") AND phase"
          + " IN (0, 1, 2, 3, 5, 9)", rows -> active[0] = rows.getInt(1));
      Instant[] signalled = {null};
      cluster.query("SELECT clock_timestamp()", rows -> signalled[0] = rows.getTimestamp(1)
          .toInstant());
      Process victim = cluster.processes().get(2);
      if (pause) {
        signal(victim, "STOP");
      } else {
        victim.destroyForcibly();
        victim.onExit().join();
      }

      Duration firstLease = null;
      Duration allLeases = null;
      Duration firstRound = null;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while ((allLeases == null || firstRound == null) && System.nanoTime() < deadline) {
        Instant[] leases = new Instant[3];
        cluster.query("SELECT count(*), min(acquired_at), max(acquired_at) FROM shard_leases"
            + " WHERE shard IN (" + shards + ") AND owner <> 'replica-2' AND released_at IS NULL",
            rows -> {
              if (rows.getInt(1) > 0) {
                leases[0] = rows.getTimestamp(2).toInstant();
              }
              if (rows.getInt(1) == lost.size()) {
                leases[1] = rows.getTimestamp(3).toInstant();
              }
            });
        // A write of the new owner: after its lease (the victim's last commits may land late).
        cluster.query("SELECT min(n.updated_at) FROM node_executions n JOIN executions e ON"
            + " e.id = n.execution_id JOIN shard_leases l ON l.shard = e.shard WHERE e.shard IN ("
            + shards + ") AND l.owner <> 'replica-2' AND l.released_at IS NULL"
            + " AND n.updated_at >= l.acquired_at", rows -> leases[2] =
                rows.getTimestamp(1) == null ? null : rows.getTimestamp(1).toInstant());
        firstLease = leases[0] == null ? null : Duration.between(signalled[0], leases[0]);
        allLeases = leases[1] == null ? null : Duration.between(signalled[0], leases[1]);
        firstRound = leases[2] == null ? null : Duration.between(signalled[0], leases[2]);
        LockSupport.parkNanos(20_000_000);
      }
      if (pause) {
        victim.destroyForcibly();
        victim.onExit().join();
      }
      workload.awaitNoneActive(cluster.clients().get(0));
      long expected = workload.completions(EXECUTIONS);
      long succeeded = workload.succeeded(cluster.clients().get(0), ids);
      String how = pause ? "paused (SIGSTOP)" : "killed (SIGKILL)";
      System.out.printf("heartbeat-timeout=%ds: replica-2 %s holding %d shards with %d"
              + " executions running; -> first lease moved %s, all %d leases moved %s,"
              + " first round on a moved shard %s%n", heartbeatTimeout.toSeconds(), how,
          lost.size(), active[0], seconds(firstLease), lost.size(), seconds(allLeases),
          seconds(firstRound));
      System.out.printf("nodes SUCCEEDED in PostgreSQL: %d of %d%n", succeeded, expected);
      System.out.printf("result how=%s heartbeat_timeout_s=%d first_lease_s=%s all_leases_s=%s"
              + " first_round_s=%s%n", pause ? "pause" : "kill", heartbeatTimeout.toSeconds(),
          seconds(firstLease), seconds(allLeases), seconds(firstRound));
      if (succeeded != expected) {
        System.exit(1);
      }
    }
  }

  private static void signal(Process process, String signal) throws Exception {
    if (new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO()
        .start().waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  private static String seconds(Duration duration) {
    return duration == null ? "never" : String.format("%.2fs", duration.toMillis() / 1e3);
  }
}
