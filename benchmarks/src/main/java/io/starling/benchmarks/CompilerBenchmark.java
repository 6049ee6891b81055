package io.starling.benchmarks;

import io.starling.admin.compiler.References;
import io.starling.admin.compiler.WorkflowCompiler;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BindingDataCollection;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import java.util.Map;
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
 * Compiling the seed's shape at registration: {@code width} nodes of a + 2 → string bound to
 * constants, then one node joining their outputs as a list.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompilerBenchmark {

  @Param({"10", "1000", "10000"})
  public int width;

  private final Identifier workflow = Identifier.newBuilder().setResourceType(ResourceType.WORKFLOW)
      .setProject("p").setDomain("d").setName("seed").setVersion("v1").build();
  private WorkflowTemplate template;
  private Map<Identifier, TaskTemplate> tasks;

  @Setup
  public void setUp() {
    LiteralType integer = LiteralType.newBuilder().setSimple(SimpleType.INTEGER).build();
    LiteralType string = LiteralType.newBuilder().setSimple(SimpleType.STRING).build();
    Identifier add = task("add");
    Identifier join = task("join");
    tasks = Map.of(
        add, TaskTemplate.newBuilder().setType("process").setInterface(TypedInterface.newBuilder()
            .putInputs("a", Variable.newBuilder().setType(integer).build())
            .putOutputs("o0", Variable.newBuilder().setType(string).build())).build(),
        join, TaskTemplate.newBuilder().setType("process").setInterface(TypedInterface.newBuilder()
            .putInputs("b", Variable.newBuilder().setType(LiteralType.newBuilder().setCollectionType(string)).build())
            .putOutputs("o0", Variable.newBuilder().setType(string).build())).build());
    WorkflowTemplate.Builder builder = WorkflowTemplate.newBuilder();
    BindingDataCollection.Builder all = BindingDataCollection.newBuilder();
    for (int i = 0; i < width; i++) {
      builder.addNodes(Node.newBuilder().setId("n" + i).setTaskNode(TaskNode.newBuilder().setTaskId(add))
          .addInputs(Binding.newBuilder().setVar("a").setBinding(BindingData.newBuilder()
              .setLiteral(Literal.newBuilder().setInteger(i)))));
      all.addBindings(BindingData.newBuilder().setPromise(OutputReference.newBuilder()
          .setNodeId("n" + i).setVar("o0")));
    }
    builder.addNodes(Node.newBuilder().setId("join").setTaskNode(TaskNode.newBuilder().setTaskId(join))
        .addInputs(Binding.newBuilder().setVar("b").setBinding(BindingData.newBuilder().setCollection(all))));
    template = builder.build();
  }

  private static Identifier task(String name) {
    return Identifier.newBuilder().setResourceType(ResourceType.TASK).setProject("p").setDomain("d")
        .setName(name).setVersion("v1").build();
  }

  @Benchmark
  public CompiledWorkflowClosure compile() {
    return WorkflowCompiler.compile(workflow, template, References.ofTasks(tasks));
  }
}
