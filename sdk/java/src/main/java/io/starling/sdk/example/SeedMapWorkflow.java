package io.starling.sdk.example;

import io.starling.sdk.Task;
import io.starling.sdk.TaskMethod;
import io.starling.sdk.Type;
import io.starling.sdk.Workflow;
import java.util.List;

/**
 * The seed's map workflow (Flyte's map-task example) written with the Java SDK: a map of
 * {@code a + 2 → string} over the integers, then {@code coalesce} joins the strings.
 */
public final class SeedMapWorkflow {

  @TaskMethod(name = "a_mappable_task")
  static String aMappableTask(long a) {
    return Long.toString(a + 2);
  }

  @TaskMethod
  static String coalesce(List<String> b) {
    return String.join("", b);
  }

  public static final Workflow MY_MAP_WORKFLOW = build();

  private SeedMapWorkflow() {}

  private static Workflow build() {
    Workflow.Builder workflow = Workflow.named("my_map_workflow");
    Workflow.Value<List<Long>> a = workflow.input("a", Type.list(Type.INTEGER));
    Workflow.Value<List<String>> mapped = workflow
        .map(Task.method(SeedMapWorkflow.class, "aMappableTask")).bind("a", a).retries(1)
        .output("o0", Type.list(Type.STRING));
    Workflow.Value<String> coalesced = workflow
        .task(Task.method(SeedMapWorkflow.class, "coalesce")).bind("b", mapped)
        .output("o0", Type.STRING);
    return workflow.output("o0", coalesced).build();
  }
}
