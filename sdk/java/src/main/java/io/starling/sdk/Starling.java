package io.starling.sdk;

import io.starling.proto.GrpcMessage;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionWatchRequest;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A blocking client of a Starling server for Java programs: registers workflows (their tasks,
 * the workflow, and a launch plan of the workflow's name), launches them and waits for their
 * outputs. Never call it from a Vert.x event loop.
 */
public final class Starling implements AutoCloseable {

  /** The largest response read: a 100,000-item map's inputs and outputs are a few MB. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final GrpcClient client = GrpcClient.client(vertx,
      new GrpcClientOptions().setMaxMessageSize(MAX_RESPONSE_BYTES),
      Transport.fromEnvironment());
  private final SocketAddress server;
  private final String project;
  private final String domain;
  private final ApiKey apiKey;

  private Starling(SocketAddress server, String project, String domain, ApiKey apiKey) {
    this.server = server;
    this.project = project;
    this.domain = domain;
    this.apiKey = apiKey;
  }

  /**
   * A client of the server at {@code host:port}, in {@code project} and {@code domain}, with
   * the API key in {@code $STARLING_API_KEY} if it is set.
   */
  public static Starling connect(String hostAndPort, String project, String domain) {
    return new Starling(Servers.address(hostAndPort), project, domain, ApiKey.fromEnvironment());
  }

  /** A client that sends {@code apiKey} on every call. */
  public static Starling connect(String hostAndPort, String project, String domain,
      String apiKey) {
    return new Starling(Servers.address(hostAndPort), project, domain, ApiKey.of(apiKey));
  }

  /**
   * Registers {@code workflows} at {@code version}, their tasks on {@code queue}, each with a
   * launch plan of its name.
   */
  public void register(String version, String queue, List<Workflow> workflows) {
    register(version, queue, workflows,
        workflows.stream().map(workflow -> LaunchPlan.of(workflow).build()).toList());
  }

  /**
   * Registers {@code workflows} at {@code version}, their tasks on {@code queue}, then
   * {@code plans} (of those workflows or of ones registered before at this version).
   */
  public void register(String version, String queue, List<Workflow> workflows,
      List<LaunchPlan> plans) {
    for (Workflow workflow : workflows) {
      for (Task task : workflow.tasks()) {
        call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
            .setId(id(ResourceType.TASK, task.name(), version))
            .setSpec(task.template(queue)).build());
      }
      call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
          .setId(id(ResourceType.WORKFLOW, workflow.name(), version))
          .setSpec(workflow.template(project, domain, version)).build());
    }
    for (LaunchPlan plan : plans) {
      call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
          .setId(id(ResourceType.LAUNCH_PLAN, plan.name(), version))
          .setSpec(plan.spec(id(ResourceType.WORKFLOW, plan.workflow().name(), version)))
          .build());
    }
  }

  /**
   * Makes {@code version} of {@code plan} the active one of its name (the others are
   * deactivated); its schedule, if any, runs from now on.
   */
  public void activate(LaunchPlan plan, String version) {
    update(plan, version, LaunchPlanState.ACTIVE);
  }

  /** Stops {@code version} of {@code plan}'s schedule. */
  public void deactivate(LaunchPlan plan, String version) {
    update(plan, version, LaunchPlanState.INACTIVE);
  }

  private void update(LaunchPlan plan, String version, LaunchPlanState state) {
    call(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, plan.name(), version)).setState(state).build());
  }

  /** Launches {@code workflow}'s launch plan with {@code inputs}; returns the execution's name. */
  public String launch(Workflow workflow, String version, Map<String, ?> inputs) {
    return launch(workflow.name(), workflow, version, inputs);
  }

  /** Launches {@code plan} with {@code inputs}; returns the execution's name. */
  public String launch(LaunchPlan plan, String version, Map<String, ?> inputs) {
    return launch(plan.name(), plan.workflow(), version, inputs);
  }

  private String launch(String plan, Workflow workflow, String version,
      Map<String, ?> inputs) {
    LiteralMap.Builder literals = LiteralMap.newBuilder();
    inputs.forEach((name, value) -> literals.putLiterals(name,
        workflow.literal(name, value, "launch of " + plan)));
    return call(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest.newBuilder()
        .setProject(project).setDomain(domain)
        .setLaunchPlan(id(ResourceType.LAUNCH_PLAN, plan, version))
        .setInputs(literals).build()).getId().getName();
  }

  /**
   * Waits for the execution to end; returns its outputs, or throws a StarlingException with
   * its phase and error when it did not succeed.
   */
  public Map<String, Object> await(String name, Workflow workflow) {
    ExecutionIdentifier id = ExecutionIdentifier.newBuilder().setProject(project)
        .setDomain(domain).setName(name).build();
    Future<Void> ended = client.request(server, AdminServiceGrpcClient.WatchExecution)
        .compose(call -> authorized(call).end(ExecutionWatchRequest.newBuilder().setId(id).build())
            .compose(sent -> call.response()))
        .compose(response -> {
          Promise<Void> done = Promise.promise();
          response.handler(event -> { });
          response.exceptionHandler(done::tryFail);
          response.endHandler(v -> done.tryComplete());
          return done.future();
        });
    await(ended);
    Execution execution = call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build());
    if (execution.getClosure().getPhase() != WorkflowExecution.Phase.SUCCEEDED) {
      throw new StarlingException(execution.getClosure().getPhase().name(),
          execution.getClosure().getError().getCode() + ": "
              + execution.getClosure().getError().getMessage());
    }
    LiteralMap outputs = call(AdminServiceGrpcClient.GetExecutionData,
        ExecutionGetDataRequest.newBuilder().setId(id).build()).getOutputs();
    Map<String, Object> values = new HashMap<>();
    workflow.outputs().forEach((output, type) ->
        values.put(output, type.value(outputs.getLiteralsOrThrow(output))));
    return values;
  }

  private Identifier id(ResourceType type, String name, String version) {
    return Identifier.newBuilder().setResourceType(type).setProject(project).setDomain(domain)
        .setName(name).setVersion(version).build();
  }

  private <Req, Resp> Resp call(ServiceMethod<Resp, Req> method, Req request) {
    return await(client.request(server, method).compose(call -> authorized(call).end(request)
        .compose(sent -> call.response()).compose(Starling::last)));
  }

  private <Req, Resp> GrpcClientRequest<Req, Resp> authorized(
      GrpcClientRequest<Req, Resp> call) {
    apiKey.addTo(call.headers());
    return call;
  }

  private static <Req, Resp> Future<Resp> last(GrpcClientResponse<Req, Resp> response) {
    return response.last().recover(error -> Future.failedFuture(
        error instanceof InvalidStatusException
            ? new StarlingException(response.status().name(), GrpcMessage.of(response))
            : error));
  }

  private <T> T await(Future<T> result) {
    try {
      return result.await();
    } catch (StarlingException e) {
      throw e;
    } catch (Exception e) {
      throw new StarlingException(GrpcStatus.UNAVAILABLE.name(), "call to " + server
          + " failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
