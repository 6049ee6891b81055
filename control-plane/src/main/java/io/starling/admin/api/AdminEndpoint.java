package io.starling.admin.api;

import com.google.protobuf.Descriptors;
import io.starling.admin.watch.ExecutionWatches;
import io.starling.proto.admin.AdminServiceGrpcService;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;

/**
 * The whole AdminService as one Vert.x gRPC {@link Service}: each unary call bound to its
 * method of {@link AdminGrpcService} through {@link CallEnds} (which ends calls the way the
 * protocol and clients of other stacks expect), WatchExecution through
 * {@link WatchExecutionHandler}, which needs the request itself to see cancellation.
 */
public final class AdminEndpoint implements Service {

  private final AdminGrpcService calls;
  private final WatchExecutionHandler watch;
  private final int maxMessageBytes;

  /** @param maxMessageBytes the largest request the server takes (its refusal names it) */
  public AdminEndpoint(AdminGrpcService calls, ExecutionWatches watches, int maxMessageBytes) {
    this.calls = calls;
    this.watch = new WatchExecutionHandler(watches, maxMessageBytes);
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public ServiceName name() {
    return AdminServiceGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return AdminServiceGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    int max = maxMessageBytes;
    CallEnds.unary(server, AdminServiceGrpcService.CreateTask, calls::createTask, max);
    CallEnds.unary(server, AdminServiceGrpcService.GetTask, calls::getTask, max);
    CallEnds.unary(server, AdminServiceGrpcService.ListTasks, calls::listTasks, max);
    CallEnds.unary(server, AdminServiceGrpcService.CreateWorkflow, calls::createWorkflow, max);
    CallEnds.unary(server, AdminServiceGrpcService.GetWorkflow, calls::getWorkflow, max);
    CallEnds.unary(server, AdminServiceGrpcService.ListWorkflows, calls::listWorkflows, max);
    CallEnds.unary(server, AdminServiceGrpcService.CreateLaunchPlan, calls::createLaunchPlan, max);
    CallEnds.unary(server, AdminServiceGrpcService.GetLaunchPlan, calls::getLaunchPlan, max);
    CallEnds.unary(server, AdminServiceGrpcService.ListLaunchPlans, calls::listLaunchPlans, max);
    CallEnds.unary(server, AdminServiceGrpcService.ListActiveLaunchPlans,
        calls::listActiveLaunchPlans, max);
    CallEnds.unary(server, AdminServiceGrpcService.UpdateLaunchPlan, calls::updateLaunchPlan, max);
    CallEnds.unary(server, AdminServiceGrpcService.CreateExecution, calls::createExecution, max);
    CallEnds.unary(server, AdminServiceGrpcService.GetExecution, calls::getExecution, max);
    CallEnds.unary(server, AdminServiceGrpcService.ListExecutions, calls::listExecutions, max);
    CallEnds.unary(server, AdminServiceGrpcService.TerminateExecution, calls::terminateExecution,
        max);
    CallEnds.unary(server, AdminServiceGrpcService.RelaunchExecution, calls::relaunchExecution,
        max);
    CallEnds.unary(server, AdminServiceGrpcService.RecoverExecution, calls::recoverExecution, max);
    CallEnds.unary(server, AdminServiceGrpcService.GetExecutionData, calls::getExecutionData, max);
    CallEnds.unary(server, AdminServiceGrpcService.ListNodeExecutions, calls::listNodeExecutions,
        max);
    CallEnds.unary(server, AdminServiceGrpcService.ListTaskExecutions, calls::listTaskExecutions,
        max);
    server.callHandler(AdminServiceGrpcService.WatchExecution, watch);
  }
}
