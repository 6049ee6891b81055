package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.core.LaunchPlanState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling launchplan activate|deactivate NAME}: turns a version's schedule on or off. */
@Command(name = "launchplan", description = "Activate or deactivate launch plan versions.",
    mixinStandardHelpOptions = true,
    subcommands = {LaunchPlanCommand.Activate.class, LaunchPlanCommand.Deactivate.class})
public final class LaunchPlanCommand {

  /** What both subcommands name. */
  abstract static class Update implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Mixin HelpOption help;

    @Parameters(paramLabel = "NAME", description = "Launch plan name")
    String name;

    @Option(names = "--version", description = "Launch plan version (default: the newest)")
    String version;

    abstract LaunchPlanState state();

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        LaunchPlan plan = Registered.launchPlan(client, server, name, version);
        client.call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
            .setId(plan.getId()).setState(state()).build());
        System.out.println(Format.id(plan.getId()) + " " + state()
            + (plan.getSpec().hasSchedule() ? "" : " (it has no schedule)"));
      }
      return 0;
    }
  }

  @Command(name = "activate", description = "Make a version"
      + " the active one of its name (the others are deactivated); its schedule fires.")
  static final class Activate extends Update {
    @Override
    LaunchPlanState state() {
      return LaunchPlanState.ACTIVE;
    }
  }

  @Command(name = "deactivate",
      description = "Deactivate a version; its schedule stops.")
  static final class Deactivate extends Update {
    @Override
    LaunchPlanState state() {
      return LaunchPlanState.INACTIVE;
    }
  }
}
