package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.ResourceType;
import io.starling.schema.RealTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Chaos 7: schedules of every minute across three replicas, activated over about 30 seconds so
 * their first slots fall due over about 30 seconds a minute later; once a third of them have, the
 * replica that owns the most of their shards is killed with SIGKILL. The others take its shards over, catch up the
 * slots that fell due while nobody owned them, and every schedule's first slot has exactly one
 * execution.
 */
class KillScheduleOwnerIT {

  private static final int SCHEDULES = 300;
  private static final int BATCH = 10;

  @Test
  void everySlotOfAKilledOwnersSchedulesFiresExactlyOnce() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("kill-schedule-owner", 3)) {
      cluster.startAll(3);
      try (AdminClient client = cluster.client()) {
        register(client, cluster.directory());
        // In batches, each once the replicas have taken the one before in (they poll every
        // second), so the first slots fall due over about half a minute.
        for (int first = 0; first < SCHEDULES; first += BATCH) {
          for (int i = first; i < first + BATCH; i++) {
            client.call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest
                .newBuilder().setId(id(ResourceType.LAUNCH_PLAN, "every-minute-" + i))
                .setState(LaunchPlanState.ACTIVE).build());
          }
          int active = first + BATCH;
          RealTime.await(active + " schedules loaded", Duration.ofSeconds(30),
              () -> schedulesLoaded(cluster) == active);
        }
      }
      RealTime.await("a third of the first slots fired", Duration.ofSeconds(120),
          () -> Integer.parseInt(cluster.query("SELECT count(*) FROM executions"))
              >= SCHEDULES / 3);
      String victim = cluster.query("SELECT owner FROM schedule_leases l JOIN launch_plans lp"
          + " ON lp.schedule_shard = l.shard WHERE lp.state = 1 AND l.released_at IS NULL"
          + " GROUP BY owner"
          + " ORDER BY count(*) DESC LIMIT 1");
      System.out.println("schedule leases: " + cluster.query("SELECT string_agg(owner || '='"
          + " || n, ' ' ORDER BY owner) FROM (SELECT owner, count(*) AS n FROM schedule_leases"
          + " WHERE released_at IS NULL GROUP BY owner) c") + "; killing " + victim);
      cluster.replica(victim).kill();

      RealTime.await("every first slot fired", Duration.ofSeconds(90), () -> Integer.parseInt(
          cluster.query("SELECT count(*) FROM executions")) >= SCHEDULES);

      assertThat(cluster.query("SELECT count(*) FROM executions")).isEqualTo("" + SCHEDULES);
      assertThat(cluster.query("SELECT count(DISTINCT e.launch_plan_id) FROM executions e"
          + " JOIN launch_plans lp ON lp.id = e.launch_plan_id"
          + " WHERE e.scheduled_at = lp.activated_at + interval '1 minute'"))
          .isEqualTo("" + SCHEDULES);
      double caughtUp = 0;
      for (int i = 0; i < 3; i++) {
        ReplicaProcess replica = cluster.get(i);
        if (replica.isAlive()) {
          caughtUp += ChaosCluster.metric(replica, "starling_scheduler_caught_up_total");
        }
      }
      System.out.println("slots caught up by the new owners: " + caughtUp + "; latest lag: "
          + cluster.query("SELECT max(created_at - scheduled_at) FROM executions"));
      assertThat(caughtUp).as("slots of the victim's shards fell due while nobody owned them")
          .isPositive();
    }
  }

  /** Active schedules the live replicas run, together. */
  private static int schedulesLoaded(ChaosCluster cluster) throws Exception {
    double loaded = 0;
    for (int i = 0; i < 3; i++) {
      if (cluster.get(i).isAlive()) {
        loaded += ChaosCluster.metric(cluster.get(i), "starling_scheduler_schedules");
      }
    }
    return (int) loaded;
  }

  private static Identifier id(ResourceType type, String name) {
    return Identifier.newBuilder().setResourceType(type).setProject(Workloads.PROJECT)
        .setDomain(Workloads.DOMAIN).setName(name).setVersion("v1").build();
  }

  /** A one-node workflow given each slot's time, and SCHEDULES launch plans of every minute. */
  private static void register(AdminClient client, Path directory) throws Exception {
    StringBuilder spec = new StringBuilder("""
        project: %s
        domain: %s
        tasks:
          - {name: stamp, version: v1, type: noop, inputs: {at: datetime}}
        workflows:
          - name: report
            version: v1
            inputs: {at: datetime}
            nodes:
              - {id: stamp, task: stamp, inputs: {at: '{{inputs.at}}'}}
        launch_plans:
        """.formatted(Workloads.PROJECT, Workloads.DOMAIN));
    for (int i = 0; i < SCHEDULES; i++) {
      spec.append("  - {name: every-minute-").append(i)
          .append(", version: v1, workflow: report, rate: 1m, kickoff_time_input: at}\n");
    }
    Path file = directory.resolve("schedules.yaml");
    Files.writeString(file, spec);
    RegisterCommand.register(client, new SpecReader(id -> {
      throw new IllegalArgumentException("unknown task " + id);
    }).read(file), new PrintStream(new ByteArrayOutputStream()));
  }
}
