package io.starling.sdk;

import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Schedule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A way to launch a workflow: a name, inputs fixed or defaulted, and optionally a schedule.
 * <pre>{@code
 * LaunchPlan nightly = LaunchPlan.of(etl).named("nightly-etl").fixed("region", "eu")
 *     .cron("0 3 * * *").timeZone("Europe/Berlin").kickoffInput("run_at").build();
 * }</pre>
 * A schedule runs once the plan's version is activated ({@link Starling#activate}).
 */
public final class LaunchPlan {

  private final String name;
  private final Workflow workflow;
  private final Map<String, Object> fixed;
  private final Map<String, Object> defaults;
  private final Schedule schedule;
  private final Integer maxParallelism;

  private LaunchPlan(Builder builder) {
    this.name = builder.name;
    this.workflow = builder.workflow;
    this.fixed = Map.copyOf(builder.fixed);
    this.defaults = Map.copyOf(builder.defaults);
    this.schedule = builder.schedule == null ? null : builder.schedule.build();
    this.maxParallelism = builder.maxParallelism;
  }

  /** A plan of {@code workflow}, named like it unless {@link Builder#named} says otherwise. */
  public static Builder of(Workflow workflow) {
    return new Builder(workflow);
  }

  public String name() {
    return name;
  }

  public Workflow workflow() {
    return workflow;
  }

  LaunchPlanSpec spec(Identifier workflowId) {
    LaunchPlanSpec.Builder spec = LaunchPlanSpec.newBuilder().setWorkflowId(workflowId);
    fixed.forEach((input, value) -> spec.getFixedInputsBuilder().putLiterals(input,
        workflow.literal(input, value, "launch plan " + name)));
    defaults.forEach((input, value) -> spec.getDefaultInputsBuilder().putLiterals(input,
        workflow.literal(input, value, "launch plan " + name)));
    if (schedule != null) {
      spec.setSchedule(schedule);
    }
    if (maxParallelism != null) {
      spec.setMaxParallelism(maxParallelism);
    }
    return spec.build();
  }

  /** Builds a launch plan; inputs are checked against the workflow's as they are given. */
  public static final class Builder {
    private final Workflow workflow;
    private String name;
    private final Map<String, Object> fixed = new LinkedHashMap<>();
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private Schedule.Builder schedule;
    private Integer maxParallelism;

    private Builder(Workflow workflow) {
      this.workflow = workflow;
      this.name = workflow.name();
    }

    public Builder named(String name) {
      this.name = name;
      return this;
    }

    /** An input every execution of the plan has, which none may override. */
    public Builder fixed(String input, Object value) {
      workflow.literal(input, value, "launch plan " + name);
      fixed.put(input, value);
      return this;
    }

    /** An input's value when an execution gives none. */
    public Builder defaults(String input, Object value) {
      workflow.literal(input, value, "launch plan " + name);
      defaults.put(input, value);
      return this;
    }

    /** Runs at the slots of a 5-field cron expression or an alias such as {@code @hourly}. */
    public Builder cron(String expression) {
      schedule().setCronExpression(expression);
      return this;
    }

    /** Runs every {@code period} (whole minutes) from the plan's activation. */
    public Builder every(Duration period) {
      if (period.toSeconds() < 60 || period.toSeconds() % 60 != 0 || period.getNano() != 0) {
        throw new IllegalArgumentException("launch plan " + name + ": a fixed rate is whole"
            + " minutes, got " + period);
      }
      schedule().setRate(FixedRate.newBuilder().setValue(Math.toIntExact(period.toMinutes()))
          .setUnit(FixedRate.Unit.MINUTE));
      return this;
    }

    /** The IANA zone a cron expression is read in; UTC by default. */
    public Builder timeZone(String zone) {
      schedule().setTimeZone(zone);
      return this;
    }

    /** The datetime input that receives each scheduled run's slot. */
    public Builder kickoffInput(String input) {
      schedule().setKickoffTimeInputArg(input);
      return this;
    }

    /** What to run of the slots missed while no replica ran the schedule. */
    public Builder catchUp(Schedule.CatchUp policy) {
      schedule().setCatchUp(policy);
      return this;
    }

    /** Most task nodes of one execution running at once; 0 is unbounded. */
    public Builder maxParallelism(int most) {
      this.maxParallelism = most;
      return this;
    }

    private Schedule.Builder schedule() {
      if (schedule == null) {
        schedule = Schedule.newBuilder();
      }
      return schedule;
    }

    public LaunchPlan build() {
      return new LaunchPlan(this);
    }
  }
}
