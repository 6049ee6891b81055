package io.starling.admin.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.AdminException;
import io.starling.admin.Unsigned;
import io.starling.admin.execution.ExecutionService;
import io.starling.admin.registry.Registry;
import io.starling.admin.store.Kind;
import io.starling.admin.store.Page;
import io.starling.admin.store.Stored;
import io.starling.proto.admin.AdminServiceGrpcService;
import io.starling.proto.admin.AdminServiceService;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionCreateResponse;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetDataResponse;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionList;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ExecutionRecoverRequest;
import io.starling.proto.admin.ExecutionRelaunchRequest;
import io.starling.proto.admin.ExecutionTerminateRequest;
import io.starling.proto.admin.ExecutionTerminateResponse;
import io.starling.proto.admin.ActiveLaunchPlanListRequest;
import io.starling.proto.admin.LaunchPlan;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanCreateResponse;
import io.starling.proto.admin.LaunchPlanList;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.LaunchPlanUpdateResponse;
import io.starling.proto.admin.NodeExecutionGetRequest;
import io.starling.proto.admin.NodeExecutionList;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.admin.ScheduleList;
import io.starling.proto.admin.ScheduleListRequest;
import io.starling.proto.admin.Task;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.TaskCreateResponse;
import io.starling.proto.admin.TaskExecutionList;
import io.starling.proto.admin.TaskExecutionListRequest;
import io.starling.proto.admin.TaskList;
import io.starling.proto.admin.Workflow;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.admin.WorkflowCreateResponse;
import io.starling.proto.admin.WorkflowList;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecutionIdentifier;
import io.starling.schema.DatabaseHealth;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.Supplier;

/**
 * The gRPC adapter of the admin: checks that required messages are present, converts between
 * the API's messages and the registry's and executions' calls, and turns refusals into gRPC
 * statuses. Runs on the event loop; everything below it is asynchronous.
 */
public final class AdminGrpcService extends AdminServiceService {

  private final Registry registry;
  private final ExecutionService executions;
  private final Histogram latency;
  private final DatabaseHealth health;

  public AdminGrpcService(Registry registry, ExecutionService executions, PrometheusRegistry metrics) {
    this.registry = registry;
    this.executions = executions;
    Counter databaseFailures = Counter.builder()
        .name("starling_admin_database_failures_total")
        .help("Admin calls that failed UNAVAILABLE because the database did not answer, by method")
        .labelNames("method")
        .register(metrics);
    AdminServiceGrpcService.SERVICE_DESCRIPTOR.getMethods()
        .forEach(method -> databaseFailures.labelValues(method.getName()));
    this.health = new DatabaseHealth("admin",
        method -> databaseFailures.labelValues(method).inc());
    this.latency = Histogram.builder()
        .name("starling_grpc_server_latency_seconds")
        .help("Admin API call latency by method and status")
        .labelNames("method", "code")
        .classicExponentialUpperBounds(0.0005, 2, 14)
        .register(metrics);
  }

  @Override
  public Future<TaskCreateResponse> createTask(TaskCreateRequest request) {
    return call("CreateTask", () -> registry.createTask(request.getId(), request.getSpec())
        .map(done -> TaskCreateResponse.getDefaultInstance()));
  }

  @Override
  public Future<Task> getTask(ObjectGetRequest request) {
    return call("GetTask", () -> registry.get(Kind.TASK, request.getId()).map(Messages::task));
  }

  @Override
  public Future<TaskList> listTasks(ResourceListRequest request) {
    return call("ListTasks", () -> list(Kind.TASK, request).map(page -> TaskList.newBuilder()
        .addAllTasks(page.items().stream().map(Messages::task).toList())
        .setNextToken(page.nextToken()).build()));
  }

  @Override
  public Future<WorkflowCreateResponse> createWorkflow(WorkflowCreateRequest request) {
    return call("CreateWorkflow", () -> registry.createWorkflow(request.getId(), request.getSpec())
        .map(done -> WorkflowCreateResponse.getDefaultInstance()));
  }

  @Override
  public Future<Workflow> getWorkflow(ObjectGetRequest request) {
    return call("GetWorkflow", () -> registry.get(Kind.WORKFLOW, request.getId()).map(Messages::workflow));
  }

  @Override
  public Future<WorkflowList> listWorkflows(ResourceListRequest request) {
    return call("ListWorkflows", () -> list(Kind.WORKFLOW, request).map(page -> WorkflowList.newBuilder()
        .addAllWorkflows(page.items().stream().map(Messages::workflow).toList())
        .setNextToken(page.nextToken()).build()));
  }

  @Override
  public Future<LaunchPlanCreateResponse> createLaunchPlan(LaunchPlanCreateRequest request) {
    return call("CreateLaunchPlan", () -> registry.createLaunchPlan(request.getId(), request.getSpec())
        .map(done -> LaunchPlanCreateResponse.getDefaultInstance()));
  }

  @Override
  public Future<LaunchPlan> getLaunchPlan(ObjectGetRequest request) {
    return call("GetLaunchPlan", () -> registry.get(Kind.LAUNCH_PLAN, request.getId())
        .map(Messages::launchPlan));
  }

  @Override
  public Future<LaunchPlanList> listLaunchPlans(ResourceListRequest request) {
    return call("ListLaunchPlans", () -> list(Kind.LAUNCH_PLAN, request).map(page ->
        LaunchPlanList.newBuilder()
            .addAllLaunchPlans(page.items().stream().map(Messages::launchPlan).toList())
            .setNextToken(page.nextToken()).build()));
  }

  @Override
  public Future<LaunchPlanList> listActiveLaunchPlans(ActiveLaunchPlanListRequest request) {
    return call("ListActiveLaunchPlans", () -> registry.listActive(request.getProject(),
            request.getDomain(), request.getLimit(), request.getToken())
        .map(page -> LaunchPlanList.newBuilder()
            .addAllLaunchPlans(page.items().stream().map(Messages::launchPlan).toList())
            .setNextToken(page.nextToken()).build()));
  }

  @Override
  public Future<ScheduleList> listSchedules(ScheduleListRequest request) {
    return call("ListSchedules", () -> registry.listSchedules(request.getProject(),
            request.getDomain(), request.getSlots(), request.getLimit(), request.getToken())
        .map(page -> ScheduleList.newBuilder()
            .addAllSchedules(page.items().stream().map(Messages::schedule).toList())
            .setNextToken(page.nextToken()).build()));
  }

  @Override
  public Future<LaunchPlanUpdateResponse> updateLaunchPlan(LaunchPlanUpdateRequest request) {
    return call("UpdateLaunchPlan", () -> registry.updateLaunchPlan(request.getId(), request.getState())
        .map(done -> LaunchPlanUpdateResponse.getDefaultInstance()));
  }

  @Override
  public Future<ExecutionCreateResponse> createExecution(ExecutionCreateRequest request) {
    return call("CreateExecution", () -> {
      require(request.hasLaunchPlan(), "launch_plan");
      return executions.create(request.getProject(), request.getDomain(), request.getName(),
              request.getLaunchPlan(), request.getInputs(),
              request.hasMaxParallelism() ? Unsigned.inRange(request.getMaxParallelism(), 0,
                  Integer.MAX_VALUE, "max_parallelism") : null)
          .map(id -> ExecutionCreateResponse.newBuilder().setId(id).build());
    });
  }

  @Override
  public Future<Execution> getExecution(ExecutionGetRequest request) {
    return call("GetExecution", () -> executions.get(request.getId()).map(Messages::execution));
  }

  @Override
  public Future<ExecutionList> listExecutions(ExecutionListRequest request) {
    return call("ListExecutions", () -> executions.list(request.getProject(), request.getDomain(),
            request.getLaunchPlanName(), request.getPhasesList(), request.getLimit(), request.getToken())
        .map(page -> ExecutionList.newBuilder()
            .addAllExecutions(page.items().stream().map(Messages::execution).toList())
            .setNextToken(page.nextToken()).build()));
  }

  @Override
  public Future<ExecutionTerminateResponse> terminateExecution(ExecutionTerminateRequest request) {
    return call("TerminateExecution", () -> executions.terminate(request.getId(), request.getCause())
        .map(done -> ExecutionTerminateResponse.getDefaultInstance()));
  }

  @Override
  public Future<ExecutionCreateResponse> relaunchExecution(ExecutionRelaunchRequest request) {
    return call("RelaunchExecution", () -> executions.relaunch(request.getId(), request.getName())
        .map(id -> ExecutionCreateResponse.newBuilder().setId(id).build()));
  }

  @Override
  public Future<ExecutionCreateResponse> recoverExecution(ExecutionRecoverRequest request) {
    return call("RecoverExecution", () -> executions.recover(request.getId(), request.getName())
        .map(id -> ExecutionCreateResponse.newBuilder().setId(id).build()));
  }

  @Override
  public Future<ExecutionGetDataResponse> getExecutionData(ExecutionGetDataRequest request) {
    return call("GetExecutionData", () -> executions.get(request.getId()).map(record -> {
      ExecutionGetDataResponse.Builder data = ExecutionGetDataResponse.newBuilder()
          .setInputs(Registry.parse(LiteralMap.parser(), record.inputs()));
      if (record.outputs() != null) {
        data.setOutputs(Registry.parse(LiteralMap.parser(), record.outputs()));
      }
      return data.build();
    }));
  }

  @Override
  public Future<NodeExecutionList> listNodeExecutions(NodeExecutionListRequest request) {
    return call("ListNodeExecutions", () -> executions.nodes(request.getExecutionId(),
        request.getToken(), request.getLimit()).map(page -> {
          NodeExecutionList.Builder list = NodeExecutionList.newBuilder();
          page.items().forEach(node ->
              list.addNodeExecutions(Messages.node(request.getExecutionId(), node)));
          return list.setNextToken(page.nextToken()).build();
        }));
  }

  @Override
  public Future<NodeExecutionRecord> getNodeExecution(NodeExecutionGetRequest request) {
    NodeExecutionIdentifier id = request.getId();
    return call("GetNodeExecution", () -> executions.node(id.getExecutionId(), id.getNodeId())
        .map(node -> Messages.node(id.getExecutionId(), node)));
  }

  @Override
  public Future<TaskExecutionList> listTaskExecutions(TaskExecutionListRequest request) {
    return call("ListTaskExecutions", () -> {
      NodeExecutionIdentifier node = request.getNodeExecutionId();
      return executions.attempts(node.getExecutionId(), node.getNodeId(), request.getToken(),
              request.getLimit())
          .map(found -> {
            TaskExecutionList.Builder list = TaskExecutionList.newBuilder();
            found.attempts().forEach(a -> list.addTaskExecutions(Messages.attempt(node, found.taskId(), a)));
            return list.setNextToken(found.nextToken()).build();
          });
    });
  }

  private Future<Page<Stored>> list(Kind kind, ResourceListRequest request) {
    return registry.list(kind, request.getProject(), request.getDomain(), request.getName(),
        request.getLimit(), request.getToken());
  }


  private static void require(boolean present, String field) {
    if (!present) {
      throw AdminException.invalid(field + " is required");
    }
  }

  /** Runs a call, turning refusals (thrown or failed) into statuses and timing it. */
  private <T> Future<T> call(String method, Supplier<Future<T>> body) {
    long start = System.nanoTime();
    Future<T> result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(outcome -> {
      GrpcStatus status = outcome.succeeded() ? GrpcStatus.OK
          : Statuses.of(method, outcome.cause());
      if (status == GrpcStatus.UNAVAILABLE) {
        health.failed(method, outcome.cause());
      } else if (status != GrpcStatus.INTERNAL) {
        health.succeeded();
      }
      latency.labelValues(method, status.name()).observe((System.nanoTime() - start) / 1e9);
      return outcome.succeeded() ? Future.succeededFuture(outcome.result())
          : Future.failedFuture(Statuses.exception(status, outcome.cause()));
    });
  }
}
