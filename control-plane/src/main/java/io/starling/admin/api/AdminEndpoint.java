package io.starling.admin.api;

import com.google.protobuf.Descriptors;
import io.starling.admin.watch.ExecutionWatches;
import io.starling.proto.admin.AdminServiceGrpcService;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.util.List;

/**
 * The whole AdminService as one Vert.x gRPC {@link Service}: the unary calls through the
 * generated adapter of {@link AdminGrpcService}, WatchExecution through
 * {@link WatchExecutionHandler}, which needs the request itself to see cancellation.
 */
public final class AdminEndpoint implements Service {

  private final Service unary;
  private final WatchExecutionHandler watch;

  public AdminEndpoint(AdminGrpcService unary, ExecutionWatches watches) {
    List<ServiceMethod<?, ?>> methods = AdminServiceGrpcService.all().stream()
        .filter(method -> method != AdminServiceGrpcService.WatchExecution).toList();
    this.unary = AdminServiceGrpcService.builder(unary).bind(methods).build();
    this.watch = new WatchExecutionHandler(watches);
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
    unary.bind(server);
    server.callHandler(AdminServiceGrpcService.WatchExecution, watch);
  }
}
