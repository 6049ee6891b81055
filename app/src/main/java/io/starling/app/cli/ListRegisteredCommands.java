package io.starling.app.cli;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlanList;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.admin.TaskList;
import io.starling.proto.admin.WorkflowList;
import io.starling.proto.core.Identifier;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code starling list tasks|workflows|launchplans [NAME]}: registered versions, newest first;
 * {@code -o json|yaml} prints the list message.
 */
final class ListRegisteredCommands {

  private ListRegisteredCommands() {}

  /** One row of a listing. */
  record Row(Identifier id, Timestamp created, String state) {}

  abstract static class Base implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Mixin OutputOption output;

    @Mixin HelpOption help;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only the versions of NAME")
    String name = "";

    @Option(names = "--limit", description = "Most versions to show (default: ${DEFAULT-VALUE})")
    int limit = 50;

    @Override
    public Integer call() {
      try (AdminClient client = server.connect()) {
        ResourceListRequest request = ResourceListRequest.newBuilder().setProject(server.project)
            .setDomain(server.domain).setName(name).setLimit(limit).build();
        MessageOrBuilder list = list(client, request);
        if (!output.table()) {
          output.print(list, System.out);
          return 0;
        }
        print(rows(list), System.out);
      }
      return 0;
    }

    abstract MessageOrBuilder list(AdminClient client, ResourceListRequest request);

    abstract List<Row> rows(MessageOrBuilder list);
  }

  @Command(name = "tasks", description = "List task versions, newest first.")
  static final class Tasks extends Base {
    @Override
    MessageOrBuilder list(AdminClient client, ResourceListRequest request) {
      return client.call(AdminServiceGrpcClient.ListTasks, request);
    }

    @Override
    List<Row> rows(MessageOrBuilder list) {
      return ((TaskList) list).getTasksList().stream()
          .map(task -> new Row(task.getId(), task.getCreatedAt(), "")).toList();
    }
  }

  @Command(name = "workflows", description = "List workflow versions, newest first.")
  static final class Workflows extends Base {
    @Override
    MessageOrBuilder list(AdminClient client, ResourceListRequest request) {
      return client.call(AdminServiceGrpcClient.ListWorkflows, request);
    }

    @Override
    List<Row> rows(MessageOrBuilder list) {
      return ((WorkflowList) list).getWorkflowsList().stream()
          .map(workflow -> new Row(workflow.getId(), workflow.getCreatedAt(), "")).toList();
    }
  }

  @Command(name = "launchplans", description = "List launch plan versions, newest first.")
  static final class LaunchPlans extends Base {
    @Override
    MessageOrBuilder list(AdminClient client, ResourceListRequest request) {
      return client.call(AdminServiceGrpcClient.ListLaunchPlans, request);
    }

    @Override
    List<Row> rows(MessageOrBuilder list) {
      return ((LaunchPlanList) list).getLaunchPlansList().stream()
          .map(plan -> new Row(plan.getId(), plan.getCreatedAt(), plan.getState().name()))
          .toList();
    }
  }

  static void print(List<Row> rows, PrintStream out) {
    out.printf("%-40s %-24s %-28s %s%n", "NAME", "VERSION", "CREATED", "STATE");
    for (Row row : rows) {
      out.printf("%-40s %-24s %-28s %s%n", row.id().getName(), row.id().getVersion(),
          Format.time(row.created()), row.state());
    }
  }
}
