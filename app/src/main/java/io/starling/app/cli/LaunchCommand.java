package io.starling.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.TypedInterface;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling launch PLAN}: starts an execution of a launch plan. */
@Command(name = "launch", description = "Start an execution of a launch plan.")
public final class LaunchCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Mixin HelpOption help;

  @Parameters(paramLabel = "PLAN", description = "Launch plan name")
  String plan;

  @Option(names = "--version", description = "Launch plan version (default: the newest)")
  String version;

  @Option(names = {"-i", "--input"}, description = "An input as NAME=VALUE; VALUE is YAML/JSON (e.g. 3, \"x\", [1,2])")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(names = "--name", description = "Execution name (default: generated)")
  String name = "";

  @Option(names = "--max-parallelism", description = "Most task nodes running at once; 0 = unbounded")
  Integer maxParallelism;

  @Option(names = {"-w", "--watch"}, description = "Watch the execution until it ends")
  boolean watch;

  @Override
  public Integer call() throws Exception {
    try (AdminClient client = server.connect()) {
      LaunchPlan launchPlan = Registered.launchPlan(client, server, plan, version);
      ExecutionCreateRequest.Builder request = ExecutionCreateRequest.newBuilder()
          .setProject(server.project).setDomain(server.domain).setName(name)
          .setLaunchPlan(launchPlan.getId());
      if (!inputs.isEmpty()) {
        request.setInputs(typedInputs(client, launchPlan));
      }
      if (maxParallelism != null) {
        request.setMaxParallelism(maxParallelism);
      }
      ExecutionIdentifier id = client.call(AdminServiceGrpcClient.CreateExecution, request.build()).getId();
      System.out.println("launched " + Format.id(id));
      if (!watch) {
        return 0;
      }
      return Commands.watchToEnd(client, id, System.out);
    }
  }

  /** The --input values, typed by the workflow's interface (read only when inputs are given). */
  private LiteralMap typedInputs(AdminClient client, LaunchPlan launchPlan) throws Exception {
    TypedInterface iface = client.call(AdminServiceGrpcClient.GetWorkflow,
        ObjectGetRequest.newBuilder().setId(launchPlan.getSpec().getWorkflowId()).build())
        .getSpec().getInterface();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode values = yaml.createObjectNode();
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      values.set(input.getKey(), yaml.readTree(input.getValue()));
    }
    return SpecReader.values(values, iface, "--input");
  }
}
