package io.starling.admin.registry;

import io.starling.admin.AdminException;
import io.starling.admin.Unsigned;
import io.starling.admin.compiler.TypeChecker;
import io.starling.proto.Quote;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Schedule;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.scheduler.slot.Slots;
import java.time.Instant;
import java.util.Map;

/** What a launch plan must satisfy against its workflow's interface. */
final class LaunchPlanValidator {

  private LaunchPlanValidator() {}

  static void validate(LaunchPlanSpec spec, TypedInterface workflow) {
    inputs(spec.getFixedInputs(), workflow, "spec.fixed_inputs");
    inputs(spec.getDefaultInputs(), workflow, "spec.default_inputs");
    for (String name : spec.getFixedInputs().getLiteralsMap().keySet()) {
      if (spec.getDefaultInputs().containsLiterals(name)) {
        throw AdminException.invalid("input " + Quote.of(name) + " is both fixed and defaulted; keep one");
      }
    }
    if (spec.hasMaxParallelism()) {
      Unsigned.inRange(spec.getMaxParallelism(), 0, Integer.MAX_VALUE, "spec.max_parallelism");
    }
    if (spec.hasSchedule()) {
      schedule(spec.getSchedule(), workflow);
    }
  }

  private static void inputs(LiteralMap values, TypedInterface workflow, String field) {
    for (Map.Entry<String, Literal> value : values.getLiteralsMap().entrySet()) {
      Variable declared = workflow.getInputsMap().get(value.getKey());
      if (declared == null) {
        throw AdminException.invalid(field + ": " + Quote.of(value.getKey()) + " is not an input of the"
            + " workflow (inputs: " + String.join(", ", workflow.getInputsMap().keySet()) + ")");
      }
      String mismatch = TypeChecker.mismatch(value.getValue(), declared.getType());
      if (mismatch != null) {
        throw AdminException.invalid(field + "[" + value.getKey() + "]: " + mismatch);
      }
    }
  }

  private static void schedule(Schedule schedule, TypedInterface workflow) {
    if (schedule.hasRate()) {
      Unsigned.inRange(schedule.getRate().getValue(), 1, Integer.MAX_VALUE,
          "spec.schedule.rate.value");
    }
    try {
      Slots.of(schedule, Instant.EPOCH);
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(e.getMessage());
    }
    String kickoff = schedule.getKickoffTimeInputArg();
    if (!kickoff.isEmpty()) {
      Variable input = workflow.getInputsMap().get(kickoff);
      if (input == null || input.getType().getSimple() != SimpleType.DATETIME) {
        throw AdminException.invalid("spec.schedule.kickoff_time_input_arg " + Quote.of(kickoff)
            + " must name a datetime input of the workflow");
      }
    }
  }
}
