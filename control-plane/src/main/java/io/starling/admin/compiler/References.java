package io.starling.admin.compiler;

import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.TaskTemplate;
import java.util.Map;

/**
 * The registered versions a workflow refers to, looked up before it compiles: tasks, workflows
 * used as sub-workflows (their closures) and launch plans (with their workflow's closure).
 * Ids are normalised to their resource type; a missing entry is an unregistered reference.
 */
public record References(
    Map<Identifier, TaskTemplate> tasks,
    Map<Identifier, CompiledWorkflowClosure> workflows,
    Map<Identifier, LaunchPlanTarget> launchPlans) {

  /** A launch plan and the compiled workflow it runs. */
  public record LaunchPlanTarget(LaunchPlanSpec spec, CompiledWorkflowClosure workflow) {}

  /** References to tasks only. */
  public static References ofTasks(Map<Identifier, TaskTemplate> tasks) {
    return new References(tasks, Map.of(), Map.of());
  }
}
