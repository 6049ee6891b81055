package io.starling.benchmarks;

import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.graph.ExecutionGraph;
import io.starling.propeller.graph.GraphCompiler;
import io.starling.propeller.round.AttemptsInFlight;
import io.starling.propeller.round.ExecutionState;
import io.starling.propeller.round.Round;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The propeller's memory per in-flight node: builds N executions of a K-node fan-out of one
 * shared workflow version, runs the first round of each (every node RUNNING, as the propeller
 * holds them while their tasks run) and prints the heap they retain per node.
 *
 * <pre>benchmarks/run-footprint [N] [K]   (default 100 10000)</pre>
 */
public final class StateFootprint {

  private StateFootprint() {}

  public static void main(String[] args) {
    int executions = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int width = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    ExecutionGraph graph = GraphCompiler.compile(fanOut(width));
    long before = usedHeap();
    List<ExecutionState> inFlight = new ArrayList<>(executions);
    Instant now = Instant.now();
    for (int i = 0; i < executions; i++) {
      ExecutionState state = new ExecutionState(i, "p/d/e" + i, 0, graph,
          LiteralMap.getDefaultInstance(), 0, 0, WorkflowExecution.Phase.QUEUED, null);
      state.initialize(AttemptsInFlight.NONE);
      Round.run(state, List.of(), now);
      state.committed();
      inFlight.add(state);
    }
    long retained = usedHeap() - before;
    long nodes = (long) executions * width;
    System.out.printf("executions=%d nodes/execution=%d running nodes=%d retained=%d MB"
            + " bytes/in-flight node=%.1f%n",
        executions, width, nodes, retained >> 20, (double) retained / nodes);
    if (inFlight.get(executions - 1).runningNodes() != width) {
      throw new IllegalStateException("the nodes did not start");
    }
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static CompiledWorkflowClosure fanOut(int width) {
    Identifier taskId = Identifier.newBuilder().setResourceType(ResourceType.TASK)
        .setProject("p").setDomain("d").setName("noop").setVersion("v1").build();
    CompiledWorkflowClosure.Builder closure = CompiledWorkflowClosure.newBuilder()
        .addTasks(CompiledTask.newBuilder().setId(taskId)
            .setTemplate(TaskTemplate.newBuilder().setType("noop")));
    var template = closure.getTemplateBuilder();
    for (int i = 0; i < width; i++) {
      String id = "n" + i;
      template.addNodes(Node.newBuilder().setId(id).setTaskNode(TaskNode.newBuilder().setTaskId(taskId)));
      closure.putUpstream(id, NodeIdList.getDefaultInstance());
    }
    return closure.build();
  }
}
