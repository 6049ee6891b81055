package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.builtin.FailPlugin;
import io.starling.propeller.plugin.builtin.SleepPlugin;
import io.starling.schema.TestDatabases;
import io.starling.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The propeller's timeouts and retry backoffs run on its time source: with a manual one, a
 * ten-minute sleep times out after its thirty-second timeout and a five-minute backoff passes
 * as soon as the test moves the clock, with nothing waiting on the wall clock.
 */
class ManualTimeIT {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ManualTimeSource time = new ManualTimeSource(T0);
  private PropellerFixture fixture;
  private Propeller propeller;

  @BeforeEach
  void start() {
    fixture = new PropellerFixture(TestDatabases.fresh(), time);
    // Nothing else wakes the executions up: no scan, no re-evaluation in the time of a test.
    propeller = PropellerFixture.started(fixture.propeller(new PropellerOptions().workers(2)
            .maxRoundsPerSecond(0).scanInterval(Duration.ofHours(1))
            .reevaluationInterval(Duration.ofHours(1)).graphCacheSize(10),
        TaskPlugins.of(new SleepPlugin(time), new FailPlugin())), List.of(0));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private CompletableFuture<WorkflowExecution.Phase> finished(long id) {
    return fixture.finished(id);
  }

  private long run(String name, CompiledTask task) throws Exception {
    long id = fixture.database.insertExecution(fixture.database.insertWorkflow(
        Workflows.named(name).node("n", task, List.of()).build()), name, 0, 0,
        LiteralMap.getDefaultInstance());
    propeller.executionCreated(id, 0);
    return id;
  }

  @Test
  void aTimeoutFiresWhenTheClockPassesIt() throws Exception {
    long id = run("timeout", Workflows.sleep(Duration.ofMinutes(10), Duration.ofSeconds(30)));

    time.awaitScheduledAt(T0.plusSeconds(30), WAIT);
    assertThat(finished(id)).isNotDone();
    time.advance(Duration.ofSeconds(30));

    assertThat(finished(id).get(20, TimeUnit.SECONDS)).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(fixture.database.attempts(id)).extracting(row -> row[2])
        .containsExactly(TaskExecution.Phase.TIMED_OUT_VALUE);
  }

  @Test
  void aRetryWaitsForItsBackoffOnTheClock() throws Exception {
    CompiledTask failing = Workflows.task("fail", "fail", 1, Duration.ZERO,
        TypedInterface.getDefaultInstance(), Struct.getDefaultInstance());
    failing = failing.toBuilder().setTemplate(failing.getTemplate().toBuilder().setMetadata(
        failing.getTemplate().getMetadata().toBuilder().setRetries(RetryStrategy.newBuilder()
            .setRetries(1).setBackoff(Durations.fromSeconds(300))))).build();
    long id = run("retry", failing);

    // The first attempt fails at once; the retry is due in five minutes.
    time.awaitScheduledAt(T0.plusSeconds(300), WAIT);
    assertThat(fixture.database.attempts(id)).hasSize(1);
    time.advance(Duration.ofSeconds(299));
    assertThat(fixture.database.attempts(id)).hasSize(1);
    time.advance(Duration.ofSeconds(1));

    assertThat(finished(id).get(20, TimeUnit.SECONDS)).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(fixture.database.attempts(id)).extracting(row -> row[1] + ":" + row[2])
        .containsExactly("0:" + TaskExecution.Phase.FAILED_VALUE,
            "1:" + TaskExecution.Phase.FAILED_VALUE);
    assertThat(fixture.database.attemptStarts(id)).containsExactly(T0, T0.plusSeconds(300));
  }
}
