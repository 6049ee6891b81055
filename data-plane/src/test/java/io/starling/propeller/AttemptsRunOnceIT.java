package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.TaskResult;
import io.starling.propeller.plugin.process.ProcessOptions;
import io.starling.propeller.plugin.process.ProcessPlugin;
import io.starling.schema.RestartableDatabase;
import io.starling.schema.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process tasks, whose side effects users see, run once each whatever happens to the writes of
 * the rounds around them: a write that fails, one that commits and reports failure, the
 * database stopping while the processes run.
 */
class AttemptsRunOnceIT {

  private static final List<Integer> SHARDS = List.of(0, 1, 2, 3);

  @TempDir
  Path directory;

  /** The process plugin, counting the attempts it reports the end of. */
  private static final class Reporting implements TaskPlugin {
    private final ProcessPlugin processes;
    private final CountDownLatch[] milestones;

    Reporting(ProcessPlugin processes, CountDownLatch... milestones) {
      this.processes = processes;
      this.milestones = milestones;
    }

    @Override
    public String type() {
      return processes.type();
    }

    @Override
    public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
      processes.start(attempt, result -> {
        for (CountDownLatch milestone : milestones) {
          milestone.countDown();
        }
        done.accept(result);
      });
    }

    @Override
    public void abort(TaskAttempt attempt) {
      processes.abort(attempt);
    }

    @Override
    public void close() {
      processes.close();
    }
  }

  /** A map of {@code items} process subtasks, each appending its subtask number to {@code runs}. */
  private long mapOfProcesses(Database database, Path runs, int items, String pause)
      throws Exception {
    String script = "echo \"$STARLING_SUBTASK $STARLING_ATTEMPT\" >> '" + runs + "'; "
        + pause + " echo '{}'";
    TypedInterface iface = TypedInterface.newBuilder()
        .putInputs("a", Variable.newBuilder().setType(Workflows.INTEGER).build()).build();
    LiteralCollection.Builder list = LiteralCollection.newBuilder();
    for (int i = 0; i < items; i++) {
      list.addLiterals(Literal.newBuilder().setInteger(i));
    }
    Workflows workflow = Workflows.named("processes").mapNode("map",
        Workflows.process("append", List.of("sh", "-c", script), iface), MapNode.newBuilder(),
        List.of(), Workflows.bind("a",
            Workflows.constant(Literal.newBuilder().setCollection(list).build())));
    return database.insertExecution(database.insertWorkflow(workflow.build()), "processes", 1, 0,
        LiteralMap.getDefaultInstance());
  }

  /** How many times each subtask's command ran, by subtask. */
  private static Map<String, Long> runsBySubtask(Path runs) throws Exception {
    return Files.readAllLines(runs).stream()
        .collect(Collectors.groupingBy(line -> line.split(" ")[0], Collectors.counting()));
  }

  @Test
  void eachCommandRunsOnceThroughFailedAndCommittedThenFailedWrites() throws Exception {
    Path runs = directory.resolve("runs");
    try (PropellerFixture fixture = new PropellerFixture(TestDatabases.fresh())) {
      PropellerOptions options = new PropellerOptions().workers(2).retryDelay(Duration.ofMillis(20));
      PrometheusRegistry registry = new PrometheusRegistry();
      FaultInjectingStore faults = new FaultInjectingStore(fixture.postgres(options, registry),
          fixture.time)
          .planWrite(2, FaultInjectingStore.Fault.SUCCEED_THEN_FAIL)
          .planWrite(3, FaultInjectingStore.Fault.FAIL)
          .planWrite(5, FaultInjectingStore.Fault.SUCCEED_THEN_FAIL)
          .planWrite(6, FaultInjectingStore.Fault.DELAY)
          .planWrite(8, FaultInjectingStore.Fault.FAIL);
      Propeller propeller = fixture.propeller(options, TaskPlugins.of(
          new ProcessPlugin(new ProcessOptions().maxConcurrent(8))), faults, registry);
      long id = mapOfProcesses(fixture.database, runs, 100, "");

      PropellerFixture.started(propeller, SHARDS);

      assertThat(fixture.awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
      assertThat(faults.injected(FaultInjectingStore.Fault.SUCCEED_THEN_FAIL)).isEqualTo(2);
      Map<String, Long> bySubtask = runsBySubtask(runs);
      assertThat(bySubtask).hasSize(100).allSatisfy((subtask, count) ->
          assertThat(count).as("runs of subtask " + subtask).isEqualTo(1));
    }
  }

  @Test
  void eachCommandRunsOnceAcrossADatabaseOutageAndResultsFromTheOutageAreKept() throws Exception {
    Path runs = directory.resolve("runs");
    CountDownLatch someEnded = new CountDownLatch(6);
    CountDownLatch moreEnded = new CountDownLatch(6 + 12);
    try (RestartableDatabase postgres = RestartableDatabase.start();
        PropellerFixture fixture = new PropellerFixture(postgres.options())) {
      Propeller propeller = fixture.propeller(
          new PropellerOptions().workers(2).retryDelay(Duration.ofMillis(50)),
          TaskPlugins.of(new Reporting(new ProcessPlugin(new ProcessOptions().maxConcurrent(6)),
              someEnded, moreEnded)));
      long id = mapOfProcesses(fixture.database, runs, 60, "sleep 0.1;");
      PropellerFixture.started(propeller, SHARDS);

      assertThat(someEnded.await(30, TimeUnit.SECONDS)).isTrue();
      postgres.stop();
      assertThat(moreEnded.await(30, TimeUnit.SECONDS)).as("tasks ended while the database was away")
          .isTrue();
      postgres.restart();

      assertThat(fixture.awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
      Map<String, Long> bySubtask = runsBySubtask(runs);
      assertThat(bySubtask).hasSize(60).allSatisfy((subtask, count) ->
          assertThat(count).as("runs of subtask " + subtask).isEqualTo(1));
      assertThat(Files.readAllLines(runs)).allSatisfy(line -> assertThat(line).endsWith(" 0"));
    }
  }
}
