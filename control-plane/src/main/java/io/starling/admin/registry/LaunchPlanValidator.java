package io.starling.admin.registry;

import io.starling.admin.AdminException;
import io.starling.admin.Fields;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What a launch plan must satisfy against its workflow's interface. */
final class LaunchPlanValidator {

  private static final Duration MAX_WINDOW = Duration.ofDays(3660);

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
      schedule(spec, workflow);
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

  private static void schedule(LaunchPlanSpec spec, TypedInterface workflow) {
    Schedule schedule = spec.getSchedule();
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
      if (spec.getFixedInputs().containsLiterals(kickoff)) {
        throw AdminException.invalid("spec.schedule.kickoff_time_input_arg " + Quote.of(kickoff)
            + " is a fixed input; the schedule sets it to each slot's time");
      }
    }
    if (schedule.hasCatchUpWindow()) {
      Fields.valid(schedule.getCatchUpWindow(), "spec.schedule.catch_up_window");
      Duration window = Duration.ofSeconds(schedule.getCatchUpWindow().getSeconds(),
          schedule.getCatchUpWindow().getNanos());
      if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
        throw AdminException.invalid("spec.schedule.catch_up_window must be positive and at"
            + " most " + MAX_WINDOW.toDays() + " days, got " + window);
      }
    }
    if (schedule.getCatchUp() == Schedule.CatchUp.UNRECOGNIZED) {
      throw AdminException.invalid("spec.schedule.catch_up must be ALL, LATEST or NONE");
    }
    for (String input : workflow.getInputsMap().keySet()) {
      if (!input.equals(kickoff) && !spec.getFixedInputs().containsLiterals(input)
          && !spec.getDefaultInputs().containsLiterals(input)) {
        throw AdminException.invalid("spec.schedule: the workflow's input " + Quote.of(input)
            + " has no fixed or default value, and a scheduled execution is given none");
      }
    }
  }
}
