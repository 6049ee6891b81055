package io.starling.admin.api;

import com.google.protobuf.Descriptors;
import io.starling.admin.watch.ExecutionWatches;
import io.starling.auth.Authenticator;
import io.starling.auth.Role;
import io.starling.proto.admin.AdminServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.util.function.Function;

/**
 * The whole AdminService as one Vert.x gRPC {@link Service}: each unary call bound to its
 * method of {@link AdminGrpcService} through {@link CallEnds} (which ends calls the way the
 * protocol and clients of other stacks expect), WatchExecution through
 * {@link WatchExecutionHandler}, which needs the request itself to see cancellation. Each call
 * needs a role in the project its request names ({@link Role}); a list without a project
 * needs the role in every project.
 */
public final class AdminEndpoint implements Service {

  private final AdminGrpcService calls;
  private final WatchExecutionHandler watch;
  private final Authenticator auth;
  private final CreationRate creations;
  private final int maxMessageBytes;

  /**
   * @param auth who each call is from and what it may do
   * @param creations how fast each key may create executions
   * @param maxMessageBytes the largest request the server takes (its refusal names it)
   */
  public AdminEndpoint(AdminGrpcService calls, ExecutionWatches watches, Authenticator auth,
      CreationRate creations, int maxMessageBytes) {
    this.calls = calls;
    this.watch = new WatchExecutionHandler(watches, auth, maxMessageBytes);
    this.auth = auth;
    this.creations = creations;
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
    serve(server, AdminServiceGrpcService.CreateTask, Role.REGISTER, r -> r.getId().getProject(),
        calls::createTask);
    serve(server, AdminServiceGrpcService.GetTask, Role.READ, r -> r.getId().getProject(),
        calls::getTask);
    serve(server, AdminServiceGrpcService.ListTasks, Role.READ, r -> r.getProject(),
        calls::listTasks);
    serve(server, AdminServiceGrpcService.CreateWorkflow, Role.REGISTER,
        r -> r.getId().getProject(), calls::createWorkflow);
    serve(server, AdminServiceGrpcService.GetWorkflow, Role.READ, r -> r.getId().getProject(),
        calls::getWorkflow);
    serve(server, AdminServiceGrpcService.ListWorkflows, Role.READ, r -> r.getProject(),
        calls::listWorkflows);
    serve(server, AdminServiceGrpcService.CreateLaunchPlan, Role.REGISTER,
        r -> r.getId().getProject(), calls::createLaunchPlan);
    serve(server, AdminServiceGrpcService.GetLaunchPlan, Role.READ, r -> r.getId().getProject(),
        calls::getLaunchPlan);
    serve(server, AdminServiceGrpcService.ListLaunchPlans, Role.READ, r -> r.getProject(),
        calls::listLaunchPlans);
    serve(server, AdminServiceGrpcService.ListActiveLaunchPlans, Role.READ, r -> r.getProject(),
        calls::listActiveLaunchPlans);
    serve(server, AdminServiceGrpcService.ListSchedules, Role.READ, r -> r.getProject(),
        calls::listSchedules);
    serve(server, AdminServiceGrpcService.UpdateLaunchPlan, Role.REGISTER,
        r -> r.getId().getProject(), calls::updateLaunchPlan);
    CallEnds.unary(server, AdminServiceGrpcService.CreateExecution, auth, (who, request) -> {
      auth.require(who, Role.LAUNCH, request.getProject());
      auth.require(who, Role.READ, request.getLaunchPlan().getProject());
      creations.take(who);
      return calls.createExecution(request);
    }, maxMessageBytes);
    serve(server, AdminServiceGrpcService.GetExecution, Role.READ, r -> r.getId().getProject(),
        calls::getExecution);
    serve(server, AdminServiceGrpcService.ListExecutions, Role.READ, r -> r.getProject(),
        calls::listExecutions);
    serve(server, AdminServiceGrpcService.TerminateExecution, Role.LAUNCH,
        r -> r.getId().getProject(), calls::terminateExecution);
    CallEnds.unary(server, AdminServiceGrpcService.RelaunchExecution, auth, (who, request) -> {
      auth.require(who, Role.LAUNCH, request.getId().getProject());
      creations.take(who);
      return calls.relaunchExecution(request);
    }, maxMessageBytes);
    CallEnds.unary(server, AdminServiceGrpcService.RecoverExecution, auth, (who, request) -> {
      auth.require(who, Role.LAUNCH, request.getId().getProject());
      creations.take(who);
      return calls.recoverExecution(request);
    }, maxMessageBytes);
    serve(server, AdminServiceGrpcService.GetExecutionData, Role.READ,
        r -> r.getId().getProject(), calls::getExecutionData);
    serve(server, AdminServiceGrpcService.ListNodeExecutions, Role.READ,
        r -> r.getExecutionId().getProject(), calls::listNodeExecutions);
    serve(server, AdminServiceGrpcService.GetNodeExecution, Role.READ,
        r -> r.getId().getExecutionId().getProject(), calls::getNodeExecution);
    serve(server, AdminServiceGrpcService.ListTaskExecutions, Role.READ,
        r -> r.getNodeExecutionId().getExecutionId().getProject(), calls::listTaskExecutions);
    server.callHandler(CompactJson.of(AdminServiceGrpcService.WatchExecution), watch);
  }

  /** Serves a call that needs {@code role} in the project its request names. */
  private <Req, Resp> void serve(GrpcServer server, ServiceMethod<Req, Resp> method, Role role,
      Function<Req, String> project, Function<Req, Future<Resp>> body) {
    CallEnds.unary(server, method, auth, (who, request) -> {
      auth.require(who, role, project.apply(request));
      return body.apply(request);
    }, maxMessageBytes);
  }
}
