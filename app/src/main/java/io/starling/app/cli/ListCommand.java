package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionList;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.core.WorkflowExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code starling list}: lists executions, newest first; {@code list tasks|workflows|launchplans}
 * registered versions ({@link ListRegisteredCommands}).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List executions, newest first; or task, workflow or launch plan versions.",
    subcommands = {ListRegisteredCommands.Tasks.class, ListRegisteredCommands.Workflows.class,
        ListRegisteredCommands.LaunchPlans.class})
public final class ListCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Mixin OutputOption output;

  @Option(names = "--limit", description = "Most executions to show (default: ${DEFAULT-VALUE})")
  int limit = 20;

  @Option(names = "--phase", description = "Only executions in these phases, e.g. RUNNING,FAILED", split = ",")
  List<WorkflowExecution.Phase> phases = new ArrayList<>();

  @Option(names = "--launch-plan", description = "Only executions of this launch plan")
  String launchPlan = "";

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      ExecutionList list = client.call(AdminServiceGrpcClient.ListExecutions,
          ExecutionListRequest.newBuilder().setProject(server.project).setDomain(server.domain)
              .setLaunchPlanName(launchPlan).addAllPhases(phases).setLimit(limit).build());
      if (!output.table()) {
        output.print(list, System.out);
        return 0;
      }
      System.out.printf("%-40s %-10s %-28s %s%n", "NAME", "PHASE", "CREATED", "LAUNCH PLAN");
      for (Execution execution : list.getExecutionsList()) {
        System.out.printf("%-40s %-10s %-28s %s%n", execution.getId().getName(),
            execution.getClosure().getPhase(), Format.time(execution.getClosure().getCreatedAt()),
            Format.id(execution.getSpec().getLaunchPlan()));
      }
    }
    return 0;
  }
}
