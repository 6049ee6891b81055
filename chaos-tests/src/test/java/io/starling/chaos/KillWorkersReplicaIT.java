package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.WorkflowExecution;
import io.starling.schema.RealTime;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Chaos 8: maps of Python tasks on worker processes of the Python SDK, across three replicas.
 * The workers connect to replica-1 (and move on to the next replica they know when their stream
 * breaks); the
 * executions run on whichever replica owns their shards. First the owner of an execution that
 * is not replica-1 is killed (its attempts, leased to workers elsewhere, are reattached by the
 * new owner and their reports reach it), then replica-1 itself, the workers' replica (they
 * reconnect to a survivor and report what they held). Every execution succeeds with the right
 * sum, every subtask once in the record.
 */
class KillWorkersReplicaIT {

  private static final int ITEMS = 1_500;
  private static final String MODULE = """
      import time
      from typing import List
      from starling import map_task, task, workflow


      @task
      def slow_double(a: int) -> int:
          time.sleep(0.004)
          return 2 * a


      @task
      def total(b: List[int]) -> int:
          return sum(b)


      @workflow
      def doubled_sum(xs: List[int]) -> int:
          return total(b=map_task(slow_double, concurrency=200)(a=xs))
      """;

  @Test
  void workersFollowTheirExecutionsAcrossReplicasThatDie() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("kill-workers-replica", 3)) {
      cluster.startAll(3);
      Path module = cluster.directory().resolve("chaos_workers.py");
      Files.writeString(module, MODULE);
      String first = "127.0.0.1:" + cluster.get(0).grpcPort;
      Process register = python(cluster, "register", first, module, "register.log");
      assertThat(register.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(register.exitValue()).as(Files.readString(
          cluster.directory().resolve("register.log"))).isZero();

      String servers = "127.0.0.1:" + cluster.get(1).grpcPort + ",127.0.0.1:"
          + cluster.get(2).grpcPort + ",127.0.0.1:" + cluster.get(0).grpcPort;
      Process workers = python(cluster, "worker", servers, module, "workers.log");
      try {
        List<ExecutionIdentifier> ids = new ArrayList<>();
        try (AdminClient client = cluster.client()) {
          for (int i = 0; i < 6; i++) {
            ids.add(Workloads.launch(client, "chaos_workers.doubled_sum", "doubled-" + i,
                Workloads.items(ITEMS)));
          }
        }
        ExecutionIdentifier elsewhere = null;
        for (ExecutionIdentifier id : ids) {
          if (!cluster.ownerOf(cluster.shardOf(id)).equals("replica-1")) {
            elsewhere = id;
            break;
          }
        }
        assertThat(elsewhere).as("an execution not run by replica-1").isNotNull();
        awaitProgress(cluster, ids, 300);
        String owner = cluster.ownerOf(cluster.shardOf(elsewhere));
        System.out.println("killing " + owner + ", the owner of " + elsewhere.getName());
        cluster.replica(owner).kill();
        awaitProgress(cluster, ids, 300);
        if (cluster.replica("replica-1").isAlive()) {
          System.out.println("killing replica-1, the workers' replica");
          cluster.replica("replica-1").kill();
        }

        List<WorkflowExecution.Phase> phases = Workloads.awaitEnd(cluster, ids);

        assertThat(phases).containsOnly(WorkflowExecution.Phase.SUCCEEDED);
        long expected = (long) ITEMS * (ITEMS - 1);
        try (AdminClient client = cluster.client()) {
          for (ExecutionIdentifier id : ids) {
            assertThat(client.call(AdminServiceGrpcClient.GetExecutionData,
                ExecutionGetDataRequest.newBuilder().setId(id).build()).getOutputs()
                .getLiteralsOrThrow("o0").getInteger()).isEqualTo(expected);
            assertThat(cluster.succeededSubtasks(id, "n0")).isEqualTo(ITEMS);
          }
        }
        assertThat(cluster.violations()).isEmpty();
        assertThat(cluster.query("SELECT count(*) FROM worker_tasks")).isEqualTo("0");
      } finally {
        workers.destroy();
        workers.waitFor(30, TimeUnit.SECONDS);
        workers.destroyForcibly();
      }
    }
  }

  /** Waits until {@code count} more subtasks of {@code ids} succeeded, as their rows say. */
  private static void awaitProgress(ChaosCluster cluster, List<ExecutionIdentifier> ids,
      int count) throws Exception {
    long start = succeeded(cluster, ids);
    RealTime.await(count + " more subtasks done", Duration.ofSeconds(60),
        () -> succeeded(cluster, ids) >= start + count);
  }

  private static long succeeded(ChaosCluster cluster, List<ExecutionIdentifier> ids)
      throws Exception {
    long done = 0;
    for (ExecutionIdentifier id : ids) {
      if (!"0".equals(cluster.query("SELECT count(*) FROM node_executions n JOIN executions e"
          + " ON e.id = n.execution_id WHERE e.name = '" + id.getName() + "' AND n.node_id = 'n0'"
          + " AND n.subtasks IS NOT NULL"))) {
        done += cluster.succeededSubtasks(id, "n0");
      }
    }
    return done;
  }

  private static Process python(ChaosCluster cluster, String command, String server,
      Path module, String log) throws Exception {
    Path sdk = Path.of("..", "sdk", "python").toAbsolutePath().normalize();
    String python = System.getenv().getOrDefault("STARLING_PYTHON",
        new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3");
    List<String> args = new ArrayList<>(List.of(python, "-m", "starling", "--server", server,
        "-p", Workloads.PROJECT, "-d", Workloads.DOMAIN, command, module.toString(),
        "--version", "v1"));
    if (command.equals("worker")) {
      args.addAll(List.of("--threads", "4", "--capacity", "64"));
    }
    ProcessBuilder process = new ProcessBuilder(args).directory(sdk.toFile())
        .redirectErrorStream(true).redirectOutput(cluster.directory().resolve(log).toFile());
    process.environment().put("STARLING_API_KEY", cluster.apiKey());
    return process.start();
  }
}
