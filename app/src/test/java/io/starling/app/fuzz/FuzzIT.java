package io.starling.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.starling.app.cli.AdminClient;
import io.starling.app.cli.RpcException;
import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ExecutionTerminateRequest;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.LaunchPlanUpdateRequest;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.Schedule;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated requests through gRPC against a sandbox: valid registrations and launches
 * mutated field by field and byte by byte (see {@link Mutator}), 10,000 of them from four
 * clients. Every answer is OK or a refusal of the request (never INTERNAL, UNKNOWN or
 * UNAVAILABLE); afterwards everything that was created reads back whole, and what was refused
 * and never created does not exist. {@code -Dstarling.fuzz.seed=N} replays a run,
 * {@code -Dstarling.fuzz.requests=N} sizes it.
 */
class FuzzIT {

  private static final long SEED = Long.getLong("starling.fuzz.seed", 20261202L);
  private static final int REQUESTS = Integer.getInteger("starling.fuzz.requests", 10_000);
  private static final int CLIENTS = 4;
  private static final Set<GrpcStatus> REFUSALS = EnumSet.of(GrpcStatus.INVALID_ARGUMENT,
      GrpcStatus.NOT_FOUND, GrpcStatus.ALREADY_EXISTS, GrpcStatus.FAILED_PRECONDITION,
      GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.OUT_OF_RANGE);

  @TempDir
  static Path data;

  /** A kind of call and the valid request its mutations start from. */
  private record Seed<Req extends Message, Resp>(ServiceMethod<Resp, Req> method, Req valid) {}

  /** What a create request names: the kind it creates (null: an execution) and the id. */
  private record Named(ResourceType kind, Message id) {}

  private final Set<Named> created = ConcurrentHashMap.newKeySet();
  private final Set<Named> refused = ConcurrentHashMap.newKeySet();

  @Test
  void mutatedRequestsAreAnsweredOrRefusedAndNothingIsHalfWritten() throws Exception {
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, Map.of(
        "STARLING_DATABASE_DATA_DIR", data.resolve("pg").toString(),
        "STARLING_DATABASE_DURABLE", "false", "STARLING_GRPC_PORT", "0",
        "STARLING_HTTP_PORT", "0")))) {
      int port = sandbox.grpcPort();
      List<Seed<?, ?>> seeds = seeds();
      try (AdminClient client = new AdminClient("127.0.0.1", port)) {
        for (Seed<?, ?> seed : seeds.subList(0, 4)) {
          assertThat(sendValid(client, seed)).isNull();
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        long seed = SEED + c;
        runs.add(pool.submit(() -> fuzz(port, seeds, new Mutator(seed), REQUESTS / CLIENTS)));
      }
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> run : runs) {
        wrong.addAll(run.get());
      }
      pool.shutdown();
      assertThat(wrong).as("answers that are not a refusal of the request (seed " + SEED + ")")
          .isEmpty();
      try (AdminClient client = new AdminClient("127.0.0.1", port)) {
        assertThat(created).isNotEmpty();
        created.forEach(id -> assertThat(readBack(client, id)).as(id.toString()).isTrue());
        refused.stream().filter(id -> !created.contains(id)).forEach(id ->
            assertThat(readBack(client, id)).as("refused, yet kept: " + id).isFalse());
      }
    }
  }

  private List<String> fuzz(int port, List<Seed<?, ?>> seeds, Mutator mutator, int requests) {
    List<String> wrong = new ArrayList<>();
    java.util.Random pick = new java.util.Random(SEED ^ requests);
    try (AdminClient client = new AdminClient("127.0.0.1", port)) {
      for (int i = 0; i < requests; i++) {
        Seed<?, ?> seed = seeds.get(pick.nextInt(seeds.size()));
        String problem = sendMutated(client, seed, mutator);
        if (problem != null) {
          wrong.add(problem);
        }
      }
    }
    return wrong;
  }

  private <Req extends Message, Resp> String sendValid(AdminClient client, Seed<Req, Resp> seed) {
    return send(client, seed, seed.valid());
  }

  private <Req extends Message, Resp> String sendMutated(AdminClient client, Seed<Req, Resp> seed,
      Mutator mutator) {
    return send(client, seed, mutator.mutate(seed.valid()));
  }

  /** Sends {@code request}; null when the answer is one a request may get, else what was wrong. */
  private <Req extends Message, Resp> String send(AdminClient client, Seed<Req, Resp> seed,
      Req request) {
    Named id = identity(request);
    try {
      Resp response = client.call(seed.method(), request);
      if (id != null) {
        created.add(response instanceof io.starling.proto.admin.ExecutionCreateResponse made
            ? new Named(null, made.getId()) : id);
      }
      return null;
    } catch (RpcException e) {
      if (REFUSALS.contains(e.status())) {
        if (id != null && !(id.id() instanceof ExecutionIdentifier name
            && name.getName().isEmpty())) {
          refused.add(id);
        }
        return null;
      }
      return seed.method().methodName() + " " + e.getMessage() + " for " + request;
    } catch (RuntimeException e) {
      return seed.method().methodName() + " " + e + " for " + request;
    }
  }

  /** What a create request names, to read back later; null for other requests. */
  private static Named identity(Message request) {
    if (request instanceof TaskCreateRequest task) {
      return registered(ResourceType.TASK, task.getId());
    }
    if (request instanceof WorkflowCreateRequest workflow) {
      return registered(ResourceType.WORKFLOW, workflow.getId());
    }
    if (request instanceof LaunchPlanCreateRequest plan) {
      return registered(ResourceType.LAUNCH_PLAN, plan.getId());
    }
    if (request instanceof ExecutionCreateRequest execution) {
      return new Named(null, ExecutionIdentifier.newBuilder().setProject(execution.getProject())
          .setDomain(execution.getDomain()).setName(execution.getName()).build());
    }
    return null;
  }

  /** The id as the registry keeps it: of the kind the call creates. */
  private static Named registered(ResourceType kind, Identifier id) {
    return new Named(kind, id.toBuilder().setResourceType(kind).build());
  }

  /** Whether {@code id} reads back whole (its record and, for an execution, its data). */
  private static boolean readBack(AdminClient client, Named named) {
    try {
      if (named.id() instanceof ExecutionIdentifier execution) {
        client.call(AdminServiceGrpcClient.GetExecution,
            ExecutionGetRequest.newBuilder().setId(execution).build());
        client.call(AdminServiceGrpcClient.GetExecutionData,
            ExecutionGetDataRequest.newBuilder().setId(execution).build());
        return true;
      }
      ObjectGetRequest get = ObjectGetRequest.newBuilder().setId((Identifier) named.id()).build();
      switch (named.kind()) {
        case TASK -> client.call(AdminServiceGrpcClient.GetTask, get);
        case WORKFLOW -> client.call(AdminServiceGrpcClient.GetWorkflow, get);
        default -> client.call(AdminServiceGrpcClient.GetLaunchPlan, get);
      }
      return true;
    } catch (RpcException e) {
      if (e.status() == GrpcStatus.NOT_FOUND || e.status() == GrpcStatus.INVALID_ARGUMENT) {
        return false;
      }
      throw e;
    }
  }

  private static List<Seed<?, ?>> seeds() {
    Variable integer = Variable.newBuilder().setType(LiteralType.newBuilder()
        .setSimple(SimpleType.INTEGER)).build();
    Variable integers = Variable.newBuilder().setType(LiteralType.newBuilder()
        .setCollectionType(LiteralType.newBuilder().setSimple(SimpleType.INTEGER))).build();
    TypedInterface echo = TypedInterface.newBuilder().putInputs("a", integer)
        .putOutputs("a", integer).build();
    Identifier task = id(ResourceType.TASK, "echo");
    Identifier workflow = id(ResourceType.WORKFLOW, "flow");
    Identifier plan = id(ResourceType.LAUNCH_PLAN, "flow");
    WorkflowTemplate template = WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("a", integer)
            .putInputs("xs", integers).putOutputs("o0", integer))
        .addNodes(Node.newBuilder().setId("n0").setTaskNode(TaskNode.newBuilder()
            .setTaskId(task)).addInputs(Binding.newBuilder().setVar("a")
            .setBinding(BindingData.newBuilder().setWorkflowInput("a"))))
        .addNodes(Node.newBuilder().setId("n1").setMapNode(MapNode.newBuilder()
            .setTaskId(task).setConcurrency(2)).addInputs(Binding.newBuilder().setVar("a")
            .setBinding(BindingData.newBuilder().setWorkflowInput("xs"))))
        .addOutputs(Binding.newBuilder().setVar("o0").setBinding(BindingData.newBuilder()
            .setPromise(OutputReference.newBuilder().setNodeId("n0").setVar("a"))))
        .build();
    LiteralMap inputs = LiteralMap.newBuilder()
        .putLiterals("a", Literal.newBuilder().setInteger(1).build())
        .putLiterals("xs", Literal.newBuilder().setCollection(
            io.starling.proto.core.LiteralCollection.newBuilder()
                .addLiterals(Literal.newBuilder().setInteger(2))).build())
        .build();
    ExecutionIdentifier execution = ExecutionIdentifier.newBuilder().setProject("default")
        .setDomain("development").setName("fuzz-seed").build();
    return List.of(
        new Seed<>(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
            .setId(task).setSpec(TaskTemplate.newBuilder().setType("echo").setInterface(echo))
            .build()),
        new Seed<>(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
            .setId(workflow).setSpec(template).build()),
        new Seed<>(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
            .setId(plan).setSpec(LaunchPlanSpec.newBuilder().setWorkflowId(workflow)
                .setDefaultInputs(inputs).setSchedule(Schedule.newBuilder()
                    .setRate(FixedRate.newBuilder().setValue(5)))).build()),
        new Seed<>(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest.newBuilder()
            .setProject("default").setDomain("development").setName("fuzz-seed")
            .setLaunchPlan(plan).setInputs(inputs).build()),
        new Seed<>(AdminServiceGrpcClient.GetExecution, ExecutionGetRequest.newBuilder()
            .setId(execution).build()),
        new Seed<>(AdminServiceGrpcClient.ListExecutions, ExecutionListRequest.newBuilder()
            .setProject("default").setDomain("development").setLimit(5).build()),
        new Seed<>(AdminServiceGrpcClient.ListTasks, ResourceListRequest.newBuilder()
            .setProject("default").setDomain("development").setLimit(5).build()),
        new Seed<>(AdminServiceGrpcClient.UpdateLaunchPlan, LaunchPlanUpdateRequest.newBuilder()
            .setId(plan).setState(LaunchPlanState.INACTIVE).build()),
        new Seed<>(AdminServiceGrpcClient.TerminateExecution, ExecutionTerminateRequest
            .newBuilder().setId(execution).setCause("fuzz").build()));
  }

  private static Identifier id(ResourceType type, String name) {
    return Identifier.newBuilder().setResourceType(type).setProject("default")
        .setDomain("development").setName(name).setVersion("v1").build();
  }
}
