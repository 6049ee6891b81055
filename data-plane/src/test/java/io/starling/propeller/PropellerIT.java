package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.Literal;
import io.starling.proto.core.CacheConfig;
import io.starling.proto.core.CacheStatus;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.TypedInterface;
import com.google.protobuf.Struct;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.TaskResult;
import java.util.function.Consumer;
import io.starling.propeller.plugin.builtin.EchoPlugin;
import io.starling.propeller.plugin.builtin.FailPlugin;
import io.starling.propeller.plugin.builtin.NoopPlugin;
import io.starling.propeller.plugin.builtin.SleepPlugin;
import io.starling.schema.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PropellerIT {

  private static final List<Integer> SHARDS = List.of(0, 1, 2, 3);

  private PropellerFixture fixture;
  private Database database;
  private final HeldPlugin held = new HeldPlugin();

  @BeforeEach
  void start() {
    fixture = new PropellerFixture(TestDatabases.fresh());
    database = fixture.database;
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private Propeller propeller() {
    return propeller(TaskPlugins.of(new NoopPlugin(), new EchoPlugin(), new FailPlugin(),
        new SleepPlugin(fixture.time), held));
  }

  private Propeller propeller(TaskPlugins plugins) {
    return fixture.propeller(new PropellerOptions().workers(2).graphCacheSize(100), plugins);
  }

  /** Starts {@code propeller} with every shard of the tests; returns once it owns them. */
  private static Propeller start(Propeller propeller) {
    return PropellerFixture.started(propeller, SHARDS);
  }

  private WorkflowExecution.Phase awaitFinished(long id) throws Exception {
    return fixture.awaitFinished(id);
  }

  /** Runs until aborted; tells the test when it started and when it was aborted. */
  private static final class HeldPlugin implements TaskPlugin {
    final CompletableFuture<TaskAttempt> started = new CompletableFuture<>();
    final CompletableFuture<TaskAttempt> aborted = new CompletableFuture<>();

    @Override
    public String type() {
      return "held";
    }

    @Override
    public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
      started.complete(attempt);
    }

    @Override
    public void abort(TaskAttempt attempt) {
      aborted.complete(attempt);
    }
  }

  @Test
  void aThousandNodeFanOutSucceedsWithEveryNodeStateInTheDatabase() throws Exception {
    Workflows workflow = Workflows.named("fan").fanOut(1000, Workflows.noop());
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add("n" + i);
    }
    workflow.node("join", Workflows.noop(), all);
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "fan", 1, 0,
        LiteralMap.getDefaultInstance());
    Propeller propeller = propeller();
    start(propeller);

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(database.executionPhase(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    List<Object[]> nodes = database.nodes(id);
    assertThat(nodes).hasSize(1001)
        .allMatch(row -> (int) row[1] == NodeExecution.Phase.SUCCEEDED_VALUE && (int) row[2] == 1);
    assertThat(database.attempts(id)).hasSize(1001)
        .allMatch(row -> (int) row[2] == TaskExecution.Phase.SUCCEEDED_VALUE);
  }

  @Test
  void aMapNodeRunsEveryItemAndKeepsItsSubtaskStatePackedInOneRow() throws Exception {
    long[] items = new long[2000];
    for (int i = 0; i < items.length; i++) {
      items[i] = i;
    }
    Workflows workflow = Workflows.named("map")
        .mapNode("map", Workflows.echo(), MapNode.newBuilder(), List.of(),
            Workflows.bind("a", Workflows.constant(Workflows.integers(items))))
        .output("out", LiteralType.newBuilder().setCollectionType(Workflows.INTEGER).build(),
            "map", "o");
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "map", 1, 0,
        LiteralMap.getDefaultInstance());
    start(propeller());

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(database.executionOutputs(id).getLiteralsOrThrow("out"))
        .isEqualTo(Workflows.integers(items));
    assertThat(database.nodes(id)).hasSize(1);
    assertThat(SubtaskStates.counts(database.subtasks(id, "map")).getSucceeded()).isEqualTo(2000);
    assertThat(database.subtaskOutputRows(id)).isZero();
  }

  @Test
  void aRestartedPropellerResumesAMapWithoutRerunningItsSucceededSubtasks() throws Exception {
    Workflows workflow = Workflows.named("map")
        .mapNode("map", Workflows.echo(), MapNode.newBuilder(), List.of(),
            Workflows.bind("a", Workflows.constant(Workflows.integers(1, 2, 3))))
        .output("out", LiteralType.newBuilder().setCollectionType(Workflows.INTEGER).build(),
            "map", "o");
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "map", 0, 0,
        LiteralMap.getDefaultInstance());
    database.execute("UPDATE executions SET phase = 2, version = 3, started_at = now() WHERE id = " + id);
    database.execute("INSERT INTO task_executions (execution_id, node_id, attempt, phase, started_at,"
        + " updated_at) VALUES (" + id + ", 'map', 0, 2, now(), now())");
    // Subtask 0 succeeded with a value echo would not give (so a rerun would show), 1 was running.
    byte[] packed = {NodeExecution.Phase.SUCCEEDED_VALUE, 1, NodeExecution.Phase.RUNNING_VALUE, 1, 0, 0};
    LiteralMap stored = LiteralMap.newBuilder()
        .putLiterals("o", Literal.newBuilder().setInteger(99).build()).build();
    database.insertRunningMap(id, "map", packed, Map.of(0, stored));

    start(propeller());

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(database.executionOutputs(id).getLiteralsOrThrow("out"))
        .isEqualTo(Workflows.integers(99, 2, 3));
    assertThat(database.subtaskOutputRows(id)).isZero();
  }

  @Test
  void aCachedTaskRunsOncePerInputsAndCacheVersion() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    TaskPlugin counting = new TaskPlugin() {
      @Override
      public String type() {
        return "counting";
      }

      @Override
      public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
        runs.incrementAndGet();
        done.accept(TaskResult.succeeded(LiteralMap.newBuilder()
            .putLiterals("o", attempt.inputs().getLiteralsOrThrow("a")).build()));
      }

      @Override
      public void abort(TaskAttempt attempt) {}
    };
    Propeller propeller = start(propeller(TaskPlugins.of(counting)));

    long first = runCached(propeller, "v1", 5, "first");
    long hit = runCached(propeller, "v1", 5, "hit");
    long otherInputs = runCached(propeller, "v1", 6, "other-inputs");
    long otherVersion = runCached(propeller, "v2", 5, "other-version");

    assertThat(runs).hasValue(3);
    assertThat(database.cacheStatus(first, "a")).isEqualTo(CacheStatus.CACHE_POPULATED_VALUE);
    assertThat(database.cacheStatus(hit, "a")).isEqualTo(CacheStatus.CACHE_HIT_VALUE);
    assertThat(database.executionOutputs(hit).getLiteralsOrThrow("y").getInteger()).isEqualTo(5);
    assertThat(database.cacheStatus(otherInputs, "a")).isEqualTo(CacheStatus.CACHE_POPULATED_VALUE);
    assertThat(database.cacheStatus(otherVersion, "a")).isEqualTo(CacheStatus.CACHE_POPULATED_VALUE);
  }

  /** Runs a workflow of one cached `counting` task on input {@code x} to its end. */
  private long runCached(Propeller propeller, String cacheVersion, long x, String name)
      throws Exception {
    CompiledTask task = Workflows.task("counting", "counting", 0, Duration.ZERO,
        Workflows.echo().getTemplate().getInterface(), Struct.getDefaultInstance());
    task = task.toBuilder().setTemplate(task.getTemplate().toBuilder().setMetadata(
        task.getTemplate().getMetadata().toBuilder().setCache(
            CacheConfig.newBuilder().setEnabled(true).setVersion(cacheVersion)))).build();
    Workflows workflow = Workflows.named("cached-" + name)
        .input("x", Workflows.INTEGER)
        .node("a", task, List.of(), Workflows.bind("a", Workflows.workflowInput("x")))
        .output("y", Workflows.INTEGER, "a", "o");
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), name, 1, 0,
        LiteralMap.newBuilder().putLiterals("x", Literal.newBuilder().setInteger(x).build()).build());
    propeller.executionCreated(id, 1);
    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    return id;
  }

  @Test
  void anExecutionAnnouncedByTheAdminRunsWithoutWaitingForTheScan() throws Exception {
    Propeller propeller = propeller();
    start(propeller);
    Workflows workflow = Workflows.named("chain")
        .input("x", Workflows.INTEGER)
        .node("a", Workflows.echo(), List.of(), Workflows.bind("a", Workflows.workflowInput("x")))
        .output("y", Workflows.INTEGER, "a", "o");
    Literal five = Literal.newBuilder().setInteger(5).build();
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "echo", 2, 0,
        LiteralMap.newBuilder().putLiterals("x", five).build());

    propeller.executionCreated(id, 2);

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(database.executionOutputs(id).getLiteralsOrThrow("y")).isEqualTo(five);
  }

  @Test
  void aRestartedPropellerResumesAndRunsOnlyWhatHadNotSucceeded() throws Exception {
    Workflows workflow = Workflows.named("fan").fanOut(3, Workflows.noop());
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "resume", 0, 0,
        LiteralMap.getDefaultInstance());
    // What a propeller that died mid-round left behind: n0 done, n1 running its first attempt.
    database.execute("UPDATE executions SET phase = 2, version = 5, started_at = now() WHERE id = " + id);
    database.execute("INSERT INTO node_executions (execution_id, node_id, phase, attempts, version,"
        + " updated_at) VALUES (" + id + ", 'n0', 3, 1, 2, now()), (" + id + ", 'n1', 2, 1, 3, now())");
    database.execute("INSERT INTO task_executions (execution_id, node_id, attempt, phase, started_at,"
        + " updated_at) VALUES (" + id + ", 'n0', 0, 3, now(), now()), (" + id + ", 'n1', 0, 2, now(),"
        + " now())");

    start(propeller());

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(database.nodes(id)).extracting(row -> row[0] + ":" + row[1] + ":" + row[2])
        .containsExactly("n0:3:1", "n1:3:2", "n2:3:1");
    // The attempt that was running is lost with its replica and runs again as attempt 1.
    assertThat(database.attempts(id)).extracting(row -> row[0] + ":" + row[1] + ":" + row[2])
        .containsExactly("n0:0:3", "n1:0:4", "n1:1:3", "n2:0:3");
  }

  @Test
  void terminatingARunningExecutionAbortsItsNodes() throws Exception {
    Workflows workflow = Workflows.named("held").node("s", Workflows.task("held", "held", 0,
        Duration.ZERO, TypedInterface.getDefaultInstance(), Struct.getDefaultInstance()), List.of());
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "held", 3, 0,
        LiteralMap.getDefaultInstance());
    Propeller propeller = propeller();
    start(propeller);
    held.started.get(10, TimeUnit.SECONDS);
    database.execute("UPDATE executions SET abort_cause = 'test', abort_requested_at = now()"
        + " WHERE id = " + id);

    propeller.abortRequested(id, 3);

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.ABORTED);
    assertThat(database.nodes(id)).extracting(row -> row[1])
        .containsExactly(NodeExecution.Phase.ABORTED_VALUE);
    assertThat(held.aborted).isCompleted();
  }

  @Test
  void aTimedOutAttemptFailsTheExecution() throws Exception {
    Workflows workflow = Workflows.named("timeout")
        .node("s", Workflows.sleep(Duration.ofMinutes(10), Duration.ofMillis(200)), List.of());
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "timeout", 1, 0,
        LiteralMap.getDefaultInstance());
    start(propeller());

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(database.attempts(id)).extracting(row -> row[2])
        .containsExactly(TaskExecution.Phase.TIMED_OUT_VALUE);
  }

  @Test
  void aReplicaThatLostItsShardCannotWriteAndTheNewOwnerFinishesTheExecution() throws Exception {
    Workflows workflow = Workflows.named("slow")
        .node("s", Workflows.sleep(Duration.ofMillis(300), Duration.ZERO), List.of());
    long id = database.insertExecution(database.insertWorkflow(workflow.build()), "fenced", 2, 0,
        LiteralMap.getDefaultInstance());
    Propeller first = propeller();
    start(first);
    Propeller second = propeller();
    start(second);

    assertThat(awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(database.attempts(id)).extracting(row -> row[2])
        .containsOnly(TaskExecution.Phase.SUCCEEDED_VALUE);
  }
}
