package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.WorkflowExecution;
import io.starling.ownership.ShardOwnership;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.TaskResult;
import io.starling.schema.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a propeller does when a write tells it another replica took its shard. */
class ShardLossIT {

  private static final List<Integer> SHARDS = List.of(0, 1, 2, 3);

  private PropellerFixture fixture;
  private FaultInjectingStore store;
  private Propeller propeller;
  private final Held held = new Held();

  /** Runs until the test ends it; tells the test of every start and abort. */
  private static final class Held implements TaskPlugin {
    record Started(TaskAttempt attempt, Consumer<TaskResult> done) {}

    final BlockingQueue<Started> started = new LinkedBlockingQueue<>();
    final BlockingQueue<TaskAttempt> aborted = new LinkedBlockingQueue<>();

    @Override
    public String type() {
      return "held";
    }

    @Override
    public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
      started.add(new Started(attempt, done));
    }

    @Override
    public void abort(TaskAttempt attempt) {
      aborted.add(attempt);
    }

    Started next() throws InterruptedException {
      Started next = started.poll(30, TimeUnit.SECONDS);
      assertThat(next).as("an attempt started").isNotNull();
      return next;
    }
  }

  @BeforeEach
  void start() {
    fixture = new PropellerFixture(TestDatabases.fresh());
    PropellerOptions options = new PropellerOptions().workers(2)
        .scanInterval(Duration.ofMillis(50)).retryDelay(Duration.ofMillis(20));
    PrometheusRegistry registry = new PrometheusRegistry();
    store = new FaultInjectingStore(fixture.postgres(options, registry), fixture.time);
    propeller = PropellerFixture.started(
        fixture.propeller(options, TaskPlugins.of(held), store, registry), SHARDS);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private long heldExecution(String name, int shard) throws Exception {
    Workflows workflow = Workflows.named(name).node("s", Workflows.task("held", "held", 0,
        Duration.ZERO, TypedInterface.getDefaultInstance(), Struct.getDefaultInstance()), List.of());
    long id = fixture.database.insertExecution(fixture.database.insertWorkflow(workflow.build()),
        name, shard, 0, LiteralMap.getDefaultInstance());
    propeller.executionCreated(id, shard);
    return id;
  }

  /** Another replica takes the shard over, as its acquire would. */
  private void takenOverElsewhere(int shard) throws Exception {
    fixture.database.execute("UPDATE shard_leases SET epoch = epoch + 1, owner = 'elsewhere'"
        + " WHERE shard = " + shard);
  }

  @Test
  void aFencedWriteStopsTheShardAndNothingMoreIsWrittenOrScannedForIt() throws Exception {
    long id = heldExecution("held", 2);
    Held.Started running = held.next();
    takenOverElsewhere(2);
    int writesBefore = store.writesFor(2);

    running.done().accept(TaskResult.succeeded(LiteralMap.getDefaultInstance()));

    assertThat(held.aborted.poll(30, TimeUnit.SECONDS)).as("the attempt let go").isNotNull();
    assertThat(propeller.ownership().state(2)).isEqualTo(ShardOwnership.State.STOPPED);
    assertThat(store.writesFor(2)).isEqualTo(writesBefore + 1);
    long second = heldExecution("after", 2);
    propeller.abortRequested(id, 2);
    CompletableFuture<List<Integer>> scan = store.nextScan();
    assertThat(scan.get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder(0, 1, 3);
    assertThat(store.nextScan().get(30, TimeUnit.SECONDS)).doesNotContain(2);
    assertThat(store.writesFor(2)).isEqualTo(writesBefore + 1);
    assertThat(held.started).isEmpty();
    assertThat(fixture.database.executionPhase(second))
        .isEqualTo(WorkflowExecution.Phase.QUEUED_VALUE);
  }

  @Test
  void aLostShardIsTakenBackOnceItsNewHolderReleasesItAndResumesWithANewAttempt()
      throws Exception {
    long id = heldExecution("held", 1);
    Held.Started first = held.next();
    takenOverElsewhere(1);
    first.done().accept(TaskResult.succeeded(LiteralMap.getDefaultInstance()));
    held.aborted.poll(30, TimeUnit.SECONDS);
    fixture.database.execute("UPDATE shard_leases SET released_at = now() WHERE shard = 1");

    propeller.assign(List.of(1)); // as the partition table's reconciliation does

    Held.Started again = held.next();
    assertThat(again.attempt().attempt()).isEqualTo(1);
    again.done().accept(TaskResult.succeeded(LiteralMap.getDefaultInstance()));
    assertThat(fixture.awaitFinished(id)).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(fixture.database.attempts(id)).extracting(row -> row[1] + ":" + row[2])
        .containsExactly("0:4", "1:3");
  }
}
