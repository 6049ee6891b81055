package io.starling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.cli.AdminClient;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Chaos 4: the three replicas restarted one after the other (SIGTERM, which hands the
 * replica's shards over, then a new process) while executions keep coming: each stop exits 0,
 * no execution fails, none is left unfinished.
 */
class RollingRestartIT {

  @Test
  void aRollingRestartUnderASteadyStreamOfExecutionsFailsAndStrandsNone() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster("rolling-restart", 3)) {
      cluster.startAll(3);
      try (AdminClient client = cluster.client()) {
        Workloads.register(client, cluster.directory(), 20, 10, "200ms", 10);
      }
      List<ExecutionIdentifier> launched = new CopyOnWriteArrayList<>();
      AtomicBoolean launching = new AtomicBoolean(true);
      Thread stream = new Thread(() -> launchSteadily(cluster, launched, launching), "stream");
      stream.start();

      for (int i = 0; i < 3; i++) {
        int exit = cluster.get(i).terminate();
        System.out.println("replica-" + i + " stopped with " + exit + " after "
            + launched.size() + " launches; leases " + cluster.leasesByOwner());
        assertThat(exit).as("exit code of replica-" + i).isZero();
        cluster.start(i);
      }
      launching.set(false);
      stream.join();

      System.out.println(launched.size() + " executions launched during the restarts");
      assertThat(launched).hasSizeGreaterThan(20);
      // Every one ended, and SUCCEEDED (phase 4): none failed, none was left running.
      assertThat(cluster.awaitAllEnded(Duration.ofSeconds(120)))
          .isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE + ":" + launched.size());
      assertThat(cluster.violations()).isEmpty();
    }
  }

  /** Launches a short fan-out after another through whichever replica answers. */
  private static void launchSteadily(ChaosCluster cluster, List<ExecutionIdentifier> launched,
      AtomicBoolean launching) {
    int n = 0;
    while (launching.get()) {
      try (AdminClient client = cluster.client()) {
        while (launching.get()) {
          launched.add(Workloads.launch(client, "fan", "steady-" + n, LiteralMap.getDefaultInstance()));
          n++;
          TimeUnit.MILLISECONDS.sleep(20); // a steady stream: about 50 launches a second
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException replicaGone) {
        // the replica this client talked to is restarting: another one takes the next launch
      }
    }
  }
}
