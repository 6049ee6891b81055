package io.starling.admin.registry;

import io.starling.admin.AdminException;
import io.starling.admin.Fields;
import io.starling.admin.Unsigned;
import io.starling.admin.compiler.TypeChecker;
import io.starling.proto.Names;
import io.starling.proto.Quote;
import io.starling.proto.SleepConfig;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.Variable;
import java.util.Map;
import java.util.regex.Pattern;

/** What a task template must satisfy to be registered. */
final class TaskValidator {

  private static final Pattern TYPE = Pattern.compile("[a-z0-9_-]{1,63}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  /** The task type the propeller gives launch-plan nodes. */
  private static final String LAUNCH_PLAN_TYPE = "launch_plan";

  private TaskValidator() {}

  static void validate(Identifier id, TaskTemplate task) {
    if (!TYPE.matcher(task.getType()).matches()) {
      throw AdminException.invalid("spec.type must be 1-63 characters of [a-z0-9_-] (e.g. "
          + "process, noop), got " + Quote.of(task.getType()));
    }
    if (task.getType().equals(LAUNCH_PLAN_TYPE)) {
      throw AdminException.invalid("spec.type " + Quote.of(LAUNCH_PLAN_TYPE) + " is reserved for"
          + " launch-plan nodes; call a launch plan with a workflow_node instead");
    }
    variables(task.getInterface().getInputsMap(), "spec.interface.inputs");
    variables(task.getInterface().getOutputsMap(), "spec.interface.outputs");
    Unsigned.inRange(task.getMetadata().getRetries().getRetries(), 0, Unsigned.MAX_RETRIES,
        "spec.metadata.retries.retries");
    Fields.nonNegative(task.getMetadata().getTimeout(), "spec.metadata.timeout");
    Fields.nonNegative(task.getMetadata().getRetries().getBackoff(),
        "spec.metadata.retries.backoff");
    if (task.getMetadata().getCache().getEnabled()
        && task.getMetadata().getCache().getVersion().isBlank()) {
      throw AdminException.invalid("spec.metadata.cache.version is required when the cache is"
          + " enabled: bump it to invalidate what is cached");
    }
    if (task.getType().equals("process") && task.getContainer().getCommandCount() == 0) {
      throw AdminException.invalid("spec.container.command is required for tasks of type process");
    }
    if (!task.getQueue().isEmpty() && !Names.isQueue(task.getQueue())) {
      throw AdminException.invalid("spec.queue must be 1-255 characters of [A-Za-z0-9_.@:-],"
          + " got " + Quote.of(task.getQueue()));
    }
    if (task.getType().equals("sleep")) {
      try {
        SleepConfig.duration(task.getConfig());
      } catch (IllegalArgumentException e) {
        throw AdminException.invalid("task " + Ids.describe(id) + ": spec." + e.getMessage());
      }
    }
  }

  static void variables(Map<String, Variable> variables, String field) {
    variables.forEach((name, variable) -> {
      if (!VARIABLE.matcher(name).matches()) {
        throw AdminException.invalid(field + ": " + Quote.of(name) + " is not a valid name ([A-Za-z_][A-Za-z0-9_]*)");
      }
      if (!TypeChecker.isComplete(variable.getType())) {
        throw AdminException.invalid(field + "[" + name + "].type is missing or incomplete");
      }
    });
  }
}
