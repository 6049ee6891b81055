package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.admin.Task;
import io.starling.proto.admin.Workflow;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.ResourceType;
import java.util.List;
import java.util.function.Function;

/** Finding the task, workflow or launch plan version a command names. */
final class Registered {

  private Registered() {}

  static Task task(AdminClient client, ServerOptions server, String name, String version) {
    return resolve(server, ResourceType.TASK, "task", name, version,
        id -> client.call(AdminServiceGrpcClient.GetTask, get(id)),
        list -> client.call(AdminServiceGrpcClient.ListTasks, list).getTasksList());
  }

  static Workflow workflow(AdminClient client, ServerOptions server, String name,
      String version) {
    return resolve(server, ResourceType.WORKFLOW, "workflow", name, version,
        id -> client.call(AdminServiceGrpcClient.GetWorkflow, get(id)),
        list -> client.call(AdminServiceGrpcClient.ListWorkflows, list).getWorkflowsList());
  }

  /** The version {@code version} of {@code name}, or its newest when {@code version} is null. */
  static LaunchPlan launchPlan(AdminClient client, ServerOptions server, String name,
      String version) {
    return resolve(server, ResourceType.LAUNCH_PLAN, "launch plan", name, version,
        id -> client.call(AdminServiceGrpcClient.GetLaunchPlan, get(id)),
        list -> client.call(AdminServiceGrpcClient.ListLaunchPlans, list).getLaunchPlansList());
  }

  private static <T> T resolve(ServerOptions server, ResourceType type, String what,
      String name, String version, Function<Identifier, T> get,
      Function<ResourceListRequest, List<T>> list) {
    if (version != null) {
      return get.apply(Identifier.newBuilder().setResourceType(type).setProject(server.project)
          .setDomain(server.domain).setName(name).setVersion(version).build());
    }
    List<T> newest = list.apply(ResourceListRequest.newBuilder().setProject(server.project)
        .setDomain(server.domain).setName(name).setLimit(1).build());
    if (newest.isEmpty()) {
      throw new IllegalArgumentException("no " + what + " named '" + name + "' in "
          + server.project + "/" + server.domain);
    }
    return newest.get(0);
  }

  private static ObjectGetRequest get(Identifier id) {
    return ObjectGetRequest.newBuilder().setId(id).build();
  }
}
