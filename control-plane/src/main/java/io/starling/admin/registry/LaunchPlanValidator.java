package io.starling.admin.registry;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
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
import java.util.Map;

/** What a launch plan must satisfy against its workflow's interface. */
final class LaunchPlanValidator {

  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> ALIASES = Map.of(
      "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@weekly", "0 0 * * 0",
      "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");

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
    switch (schedule.getScheduleCase()) {
      case CRON_EXPRESSION -> {
        String expression = schedule.getCronExpression().strip();
        try {
          CRON.parse(ALIASES.getOrDefault(expression, expression)).validate();
        } catch (IllegalArgumentException e) {
          throw AdminException.invalid("spec.schedule.cron_expression " + Quote.of(expression)
              + " is not a 5-field cron expression or alias: " + e.getMessage());
        }
      }
      case RATE -> Unsigned.inRange(schedule.getRate().getValue(), 1, Integer.MAX_VALUE,
          "spec.schedule.rate.value");
      default -> throw AdminException.invalid("spec.schedule needs a cron_expression or a rate");
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
