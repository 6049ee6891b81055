package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.LaunchPlanList;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.ResourceType;

/** Finding the launch plan a command names. */
final class LaunchPlans {

  private LaunchPlans() {}

  /** The version {@code version} of {@code name}, or its newest when {@code version} is null. */
  static LaunchPlan resolve(AdminClient client, ServerOptions server, String name,
      String version) {
    if (version != null) {
      return client.call(AdminServiceGrpcClient.GetLaunchPlan, ObjectGetRequest.newBuilder()
          .setId(Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
              .setProject(server.project).setDomain(server.domain).setName(name)
              .setVersion(version)).build());
    }
    LaunchPlanList newest = client.call(AdminServiceGrpcClient.ListLaunchPlans,
        ResourceListRequest.newBuilder().setProject(server.project).setDomain(server.domain)
            .setName(name).setLimit(1).build());
    if (newest.getLaunchPlansCount() == 0) {
      throw new IllegalArgumentException("no launch plan named '" + name + "' in "
          + server.project + "/" + server.domain);
    }
    return newest.getLaunchPlans(0);
  }
}
