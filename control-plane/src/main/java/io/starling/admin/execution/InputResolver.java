package io.starling.admin.execution;

import io.starling.admin.AdminException;
import io.starling.admin.compiler.TypeChecker;
import io.starling.proto.Quote;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import java.util.Map;

/** The inputs an execution runs with: the launch plan's fixed and default inputs, then the given ones. */
final class InputResolver {

  private InputResolver() {}

  static LiteralMap resolve(LaunchPlanSpec plan, TypedInterface workflow, LiteralMap given,
      String workflowName) {
    for (Map.Entry<String, Literal> input : given.getLiteralsMap().entrySet()) {
      String name = input.getKey();
      Variable declared = workflow.getInputsMap().get(name);
      if (declared == null) {
        throw AdminException.invalid("input " + Quote.of(name) + " is not an input of workflow "
            + workflowName + " (inputs: " + String.join(", ", workflow.getInputsMap().keySet()) + ")");
      }
      if (plan.getFixedInputs().containsLiterals(name)) {
        throw AdminException.invalid("input " + Quote.of(name) + " is fixed by the launch plan and cannot be given");
      }
      String mismatch = TypeChecker.mismatch(input.getValue(), declared.getType());
      if (mismatch != null) {
        throw AdminException.invalid("input " + Quote.of(name) + ": " + mismatch);
      }
    }
    LiteralMap.Builder resolved = LiteralMap.newBuilder()
        .putAllLiterals(plan.getDefaultInputs().getLiteralsMap())
        .putAllLiterals(given.getLiteralsMap())
        .putAllLiterals(plan.getFixedInputs().getLiteralsMap());
    for (String name : workflow.getInputsMap().keySet()) {
      if (!resolved.containsLiterals(name)) {
        throw AdminException.invalid("input " + Quote.of(name) + " is required");
      }
    }
    return resolved.build();
  }
}
