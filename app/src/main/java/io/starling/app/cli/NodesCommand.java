package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.NodeExecutionList;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling nodes EXECUTION}: the node executions of one execution. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "List the nodes of an execution: phase, attempts, duration, subtasks, error.")
public final class NodesCommand implements Callable<Integer> {

  private static final int ERROR_CHARS = 60;

  @Mixin ServerOptions server;

  @Mixin OutputOption output;

  @Parameters(paramLabel = "EXECUTION", description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Option(names = "--limit", description = "Most nodes to show (default: ${DEFAULT-VALUE})")
  int limit = 1000;

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      NodeExecutionList nodes = client.call(AdminServiceGrpcClient.ListNodeExecutions,
          NodeExecutionListRequest.newBuilder().setExecutionId(server.execution(execution))
              .setLimit(limit).build());
      if (!output.table()) {
        output.print(nodes, System.out);
        return 0;
      }
      System.out.printf("%-24s %-18s %8s %12s %-16s %s%n", "NODE", "PHASE", "ATTEMPTS",
          "DURATION", "SUBTASKS", "ERROR");
      for (NodeExecutionRecord node : nodes.getNodeExecutionsList()) {
        System.out.printf("%-24s %-18s %8d %12s %-16s %s%n", node.getId().getNodeId(),
            node.getPhase(), node.getAttempts(),
            node.hasDuration() ? Format.duration(node.getDuration()) : "-",
            node.hasSubtasks() ? node.getSubtasks().getSucceeded() + "/"
                + node.getSubtasks().getTotal() + " ok" : "-",
            node.hasError() ? firstLine(node.getError().getCode() + ": "
                + node.getError().getMessage()) : "");
      }
      if (!nodes.getNextToken().isEmpty()) {
        System.out.println("(more nodes: --limit)");
      }
    }
    return 0;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() <= ERROR_CHARS ? line : line.substring(0, ERROR_CHARS - 3) + "...";
  }
}
