package io.starling.app.cli;

import com.google.protobuf.util.Durations;
import io.starling.proto.LiteralTypes;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.Task;
import io.starling.proto.admin.Workflow;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Node;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code starling get task|workflow|launchplan NAME [--version V]}: one registered version, the
 * newest by default; {@code -o json|yaml} prints the whole message.
 */
final class GetRegisteredCommands {

  private GetRegisteredCommands() {}

  /** What the three commands share: where, the format, the name and the version. */
  abstract static class Base implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Mixin OutputOption output;

    @Mixin HelpOption help;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--version", description = "The version (default: the newest)")
    String version;

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        show(client, System.out);
      }
      return 0;
    }

    abstract void show(AdminClient client, PrintStream out);
  }

  @Command(name = "task", description = "Show a task version: type, interface, retries, timeout.")
  static final class GetTask extends Base {
    @Override
    void show(AdminClient client, PrintStream out) {
      Task task = Registered.task(client, server, name, version);
      if (!output.table()) {
        output.print(task, out);
        return;
      }
      TaskTemplate spec = task.getSpec();
      out.println("task       " + Format.id(task.getId()));
      out.println("created    " + Format.time(task.getCreatedAt()));
      out.println("type       " + spec.getType()
          + (spec.getQueue().isEmpty() ? "" : " (queue " + spec.getQueue() + ")"));
      printInterface(spec.getInterface(), out);
      out.println("retries    " + spec.getMetadata().getRetries().getRetries());
      out.println("timeout    " + (spec.getMetadata().hasTimeout()
          && Durations.toMillis(spec.getMetadata().getTimeout()) > 0
          ? Format.duration(spec.getMetadata().getTimeout()) : "-"));
      if (spec.getMetadata().getCache().getEnabled()) {
        out.println("cache      version " + spec.getMetadata().getCache().getVersion());
      }
    }
  }

  @Command(name = "workflow", description = "Show a workflow version: interface and nodes.")
  static final class GetWorkflow extends Base {
    @Override
    void show(AdminClient client, PrintStream out) {
      Workflow workflow = Registered.workflow(client, server, name, version);
      if (!output.table()) {
        output.print(workflow, out);
        return;
      }
      out.println("workflow   " + Format.id(workflow.getId()));
      out.println("created    " + Format.time(workflow.getCreatedAt()));
      printInterface(workflow.getSpec().getInterface(), out);
      out.println("nodes      " + workflow.getSpec().getNodesCount() + ": "
          + workflow.getSpec().getNodesList().stream().limit(20).map(GetWorkflow::describe)
              .collect(Collectors.joining(", "))
          + (workflow.getSpec().getNodesCount() > 20 ? ", ..." : ""));
    }

    private static String describe(Node node) {
      return node.getId() + " (" + switch (node.getTargetCase()) {
        case TASK_NODE -> "task " + node.getTaskNode().getTaskId().getName();
        case MAP_NODE -> "map " + node.getMapNode().getTaskId().getName();
        case BRANCH_NODE -> "branch";
        case WORKFLOW_NODE -> node.getWorkflowNode().hasLaunchPlanRef() ? "launch plan "
            + node.getWorkflowNode().getLaunchPlanRef().getName()
            : "workflow " + node.getWorkflowNode().getSubWorkflowRef().getName();
        default -> "?";
      } + ")";
    }
  }

  @Command(name = "launchplan", description = "Show a launch plan version: state, workflow,"
      + " schedule, inputs.")
  static final class GetLaunchPlan extends Base {
    @Override
    void show(AdminClient client, PrintStream out) {
      LaunchPlan plan = Registered.launchPlan(client, server, name, version);
      if (!output.table()) {
        output.print(plan, out);
        return;
      }
      LaunchPlanSpec spec = plan.getSpec();
      out.println("launch plan " + Format.id(plan.getId()));
      out.println("state      " + plan.getState());
      out.println("workflow   " + Format.id(spec.getWorkflowId()));
      if (spec.hasSchedule()) {
        out.println("schedule   " + (spec.getSchedule().hasRate()
            ? "every " + spec.getSchedule().getRate().getValue() + " "
                + spec.getSchedule().getRate().getUnit()
            : spec.getSchedule().getCronExpression()
                + (spec.getSchedule().getTimeZone().isEmpty() ? ""
                    : " " + spec.getSchedule().getTimeZone())));
      }
      out.println("defaults   " + Format.values(spec.getDefaultInputs(), 400));
      out.println("fixed      " + Format.values(spec.getFixedInputs(), 400));
    }
  }

  static void printInterface(TypedInterface types, PrintStream out) {
    out.println("inputs     " + types.getInputsMap().entrySet().stream()
        .map(e -> e.getKey() + ": " + LiteralTypes.describe(e.getValue().getType()))
        .sorted().collect(Collectors.joining(", ")));
    out.println("outputs    " + types.getOutputsMap().entrySet().stream()
        .map(e -> e.getKey() + ": " + LiteralTypes.describe(e.getValue().getType()))
        .sorted().collect(Collectors.joining(", ")));
  }
}
