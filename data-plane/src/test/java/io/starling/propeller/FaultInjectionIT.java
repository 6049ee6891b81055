package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BindingDataCollection;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.TaskResult;
import io.starling.schema.TestDatabases;
import io.starling.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected at random points under a propeller running a few hundred executions: writes
 * that fail before the database, writes that commit and then report failure, delayed commits,
 * failed and delayed loads, scans and cache calls. Whatever was injected, every execution ends
 * with the right outputs, the stored state keeps its invariants, and no task runs twice.
 */
class FaultInjectionIT {

  private static final List<Integer> SHARDS = List.of(0, 1, 2, 3);
  private static final long SEED = 20261201L;

  private PropellerFixture fixture;
  private Database database;

  @BeforeEach
  void start() {
    fixture = new PropellerFixture(TestDatabases.fresh());
    database = fixture.database;
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /**
   * An echo task whose attempts end after 0 to 4 ms, so that rounds, reloads and results
   * interleave; counts the starts of each node or subtask, whatever the attempt number.
   */
  private static final class CountingEcho implements TaskPlugin {
    final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    private final TimeSource time;
    private final Random random = new Random(SEED);

    CountingEcho(TimeSource time) {
      this.time = time;
    }

    @Override
    public String type() {
      return "echo";
    }

    @Override
    public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
      String work = attempt.executionId() + "/" + attempt.nodeId() + "[" + attempt.subtask() + "]";
      starts.computeIfAbsent(work, key -> new AtomicInteger()).incrementAndGet();
      int millis;
      synchronized (random) {
        millis = random.nextInt(5);
      }
      time.schedule(Duration.ofMillis(millis), () -> done.accept(TaskResult.succeeded(
          LiteralMap.newBuilder().putLiterals("o", attempt.inputs().getLiteralsOrThrow("a")).build())));
    }

    @Override
    public void abort(TaskAttempt attempt) {}
  }

  @Test
  void randomFaultsLoseAndDoubleNothing() throws Exception {
    CountingEcho echo = new CountingEcho(fixture.time);
    PropellerOptions options = new PropellerOptions().workers(2)
        .retryDelay(Duration.ofMillis(20)).scanInterval(Duration.ofMillis(500));
    PrometheusRegistry registry = new PrometheusRegistry();
    FaultInjectingStore faults =
        new FaultInjectingStore(fixture.postgres(options, registry), fixture.time);
    Propeller propeller = fixture.propeller(options, TaskPlugins.of(echo), faults, registry);

    long chain = database.insertWorkflow(chain().build());
    long fan = database.insertWorkflow(fan().build());
    long map = database.insertWorkflow(map().build());
    List<Long> ids = new ArrayList<>();
    int expectedWork = 0;
    for (int i = 0; i < 100; i++) {
      ids.add(database.insertExecution(chain, "chain-" + i, i % 4, 0, x(i)));
      ids.add(database.insertExecution(fan, "fan-" + i, i % 4, 3, x(i)));
      ids.add(database.insertExecution(map, "map-" + i, i % 4, 0, x(i)));
      expectedWork += 3 + 10 + 20;
    }
    faults.random(SEED, 0.1);
    PropellerFixture.started(propeller, SHARDS);

    for (long id : ids) {
      assertThat(fixture.awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    }
    faults.stopInjecting();

    System.out.printf("injected: %d failed, %d committed-then-failed, %d delayed calls; %d writes%n",
        faults.injected(FaultInjectingStore.Fault.FAIL),
        faults.injected(FaultInjectingStore.Fault.SUCCEED_THEN_FAIL),
        faults.injected(FaultInjectingStore.Fault.DELAY), faults.writes());
    assertThat(faults.injected(FaultInjectingStore.Fault.SUCCEED_THEN_FAIL)).isGreaterThan(10);
    assertThat(faults.injected(FaultInjectingStore.Fault.FAIL)).isGreaterThan(10);
    for (int i = 0; i < 100; i++) {
      assertThat(database.executionOutputs(ids.get(3 * i)).getLiteralsOrThrow("y"))
          .isEqualTo(integer(i));
      assertThat(database.executionOutputs(ids.get(3 * i + 2)).getLiteralsOrThrow("out")
          .getCollection().getLiteralsList()).hasSize(20).containsOnly(integer(i));
    }
    assertThat(echo.starts).hasSize(expectedWork);
    assertThat(echo.starts).allSatisfy((work, count) ->
        assertThat(count.get()).as("starts of " + work).isEqualTo(1));
    // and the fixture checks the stored state's invariants when it closes
  }

  private static LiteralMap x(long value) {
    return LiteralMap.newBuilder().putLiterals("x", integer(value)).build();
  }

  private static Literal integer(long value) {
    return Literal.newBuilder().setInteger(value).build();
  }

  /** x → a → b → c; y = x. */
  private static Workflows chain() {
    return Workflows.named("chain").input("x", Workflows.INTEGER)
        .node("a", Workflows.echo(), List.of(), Workflows.bind("a", Workflows.workflowInput("x")))
        .node("b", Workflows.echo(), List.of("a"), Workflows.bind("a", Workflows.promise("a", "o")))
        .node("c", Workflows.echo(), List.of("b"), Workflows.bind("a", Workflows.promise("b", "o")))
        .output("y", Workflows.INTEGER, "c", "o");
  }

  /** Ten echoes of x, run three at a time (the execution's max_parallelism). */
  private static Workflows fan() {
    Workflows workflow = Workflows.named("fan").input("x", Workflows.INTEGER);
    for (int i = 0; i < 10; i++) {
      workflow.node("n" + i, Workflows.echo(), List.of(),
          Workflows.bind("a", Workflows.workflowInput("x")));
    }
    return workflow.output("y", Workflows.INTEGER, "n9", "o");
  }

  /** A map of echo over twenty copies of x, five at a time. */
  private static Workflows map() {
    BindingDataCollection.Builder copies = BindingDataCollection.newBuilder();
    for (int i = 0; i < 20; i++) {
      copies.addBindings(Workflows.workflowInput("x"));
    }
    return Workflows.named("map").input("x", Workflows.INTEGER)
        .mapNode("map", Workflows.echo(), MapNode.newBuilder().setConcurrency(5), List.of(),
            Workflows.bind("a", BindingData.newBuilder().setCollection(copies).build()))
        .output("out", LiteralType.newBuilder().setCollectionType(Workflows.INTEGER).build(),
            "map", "o");
  }
}
