package io.starling.app.cli;

import io.starling.app.spec.Registration;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code starling register FILE}: registers the tasks, workflows and launch plans of a spec. */
@Command(name = "register", mixinStandardHelpOptions = true, description = "Register the tasks, workflows and launch plans of a YAML/JSON spec file.")
public final class RegisterCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "FILE", description = "The spec file")
  Path file;

  @Override
  public Integer call() throws Exception {
    try (AdminClient client = server.connect()) {
      Registration registration = new SpecReader(id -> client.call(AdminServiceGrpcClient.GetTask,
          ObjectGetRequest.newBuilder().setId(id).build()).getSpec()).read(file);
      register(client, registration, System.out);
    }
    return 0;
  }

  /**
   * Registers everything in an order that satisfies references: tasks, then each workflow
   * followed by the file's launch plans of it (so a later workflow may call them).
   */
  public static void register(AdminClient client, Registration registration, PrintStream out) {
    for (TaskCreateRequest task : registration.tasks()) {
      client.call(AdminServiceGrpcClient.CreateTask, task);
      out.println("registered task " + Format.id(task.getId()));
    }
    for (WorkflowCreateRequest workflow : registration.workflows()) {
      client.call(AdminServiceGrpcClient.CreateWorkflow, workflow);
      out.println("registered workflow " + Format.id(workflow.getId()));
      for (LaunchPlanCreateRequest plan : registration.launchPlans()) {
        if (plan.getSpec().getWorkflowId().equals(workflow.getId())) {
          client.call(AdminServiceGrpcClient.CreateLaunchPlan, plan);
          out.println("registered launch plan " + Format.id(plan.getId()));
        }
      }
    }
  }
}
