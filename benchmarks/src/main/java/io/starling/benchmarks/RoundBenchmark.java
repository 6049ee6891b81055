package io.starling.benchmarks;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowTemplate;
import io.starling.propeller.graph.GraphCompiler;
import io.starling.propeller.plugin.TaskResult;
import io.starling.propeller.round.AttemptsInFlight;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.Round;
import io.starling.propeller.round.RoundResult;
import io.starling.propeller.round.TaskEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one propeller round on a fan-out of {@code width} running nodes in which exactly
 * one node changed: its attempt failed and it is retried. The cost must not grow with the
 * width of the workflow.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundBenchmark {

  @Param({"100", "1000", "10000", "100000"})
  public int width;

  private ExecutionState state;
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final TaskResult failure = TaskResult.userError("Flaky", "try again");
  private int node;
  private int[] attempts;

  @Setup
  public void setUp() {
    Identifier taskId = Identifier.newBuilder().setResourceType(ResourceType.TASK)
        .setProject("p").setDomain("d").setName("retried").setVersion("v1").build();
    CompiledTask task = CompiledTask.newBuilder().setId(taskId).setTemplate(TaskTemplate.newBuilder()
        .setType("noop")
        .setMetadata(TaskMetadata.newBuilder().setRetries(RetryStrategy.newBuilder()
            .setRetries(Integer.MAX_VALUE).setBackoff(Durations.fromMillis(0))))
        .setConfig(Struct.getDefaultInstance())).build();
    WorkflowTemplate.Builder template = WorkflowTemplate.newBuilder();
    CompiledWorkflowClosure.Builder closure = CompiledWorkflowClosure.newBuilder().addTasks(task);
    for (int i = 0; i < width; i++) {
      String id = "n" + i;
      template.addNodes(Node.newBuilder().setId(id).setTaskNode(TaskNode.newBuilder().setTaskId(taskId)));
      closure.putUpstream(id, NodeIdList.getDefaultInstance());
    }
    state = new ExecutionState(1, "p/d/bench", 0, GraphCompiler.compile(closure.setTemplate(template).build()),
        LiteralMap.getDefaultInstance(), 0, 0, WorkflowExecution.Phase.QUEUED, null);
    state.initialize(AttemptsInFlight.NONE);
    Round.run(state, List.of(), now);
    state.committed();
    attempts = new int[width];
  }

  @Benchmark
  public RoundResult roundWithOneChangedNode() {
    int current = node;
    node = (node + 1) % width;
    TaskEvent event = new TaskEvent(current, attempts[current]++, failure);
    RoundResult result = Round.run(state, List.of(event), now);
    state.committed();
    return result;
  }

}
