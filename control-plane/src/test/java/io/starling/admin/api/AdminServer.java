package io.starling.admin.api;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.starling.admin.Admin;
import io.starling.admin.AdminOptions;
import io.starling.admin.ExecutionListener;
import io.starling.auth.Authenticator;
import io.starling.proto.GrpcMessage;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionWatchRequest;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Node;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskNode;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowTemplate;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.TestDatabases;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The admin alone over real gRPC on a socket and a fresh PostgreSQL, with the two-node workflow
 * {@code pair} (a → b, echo tasks) registered. Tests play the propeller by writing its rows.
 */
final class AdminServer implements AutoCloseable {

  static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  static final LiteralType INTEGER = LiteralType.newBuilder().setSimple(SimpleType.INTEGER).build();

  final DatabaseOptions database;
  final PrometheusRegistry metrics = new PrometheusRegistry();
  final List<Long> created = new CopyOnWriteArrayList<>();
  final List<Long> aborted = new CopyOnWriteArrayList<>();
  /** The admin itself, for what only the replica's own parts call (the scheduler's firing). */
  final Admin admin;
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;
  private final HttpServer server;
  private final GrpcClient client;
  private final SocketAddress address;

  /** A refused call: the status and the server's message. */
  record Refusal(GrpcStatus status, String message) {}

  static final class Refused extends RuntimeException {
    final Refusal refusal;

    Refused(Refusal refusal) {
      super(refusal.status() + ": " + refusal.message());
      this.refusal = refusal;
    }
  }

  AdminServer() {
    this(new GrpcServerOptions());
  }

  AdminServer(GrpcServerOptions serverOptions) {
    this(TestDatabases.fresh(), serverOptions);
  }

  /** An admin whose clock is {@code clock}. */
  AdminServer(Clock clock) {
    this(TestDatabases.fresh(), new GrpcServerOptions(), clock);
  }

  /** An admin on {@code database}, which must be migrated. */
  AdminServer(DatabaseOptions database, GrpcServerOptions serverOptions) {
    this(database, serverOptions, Clock.systemUTC());
  }

  private AdminServer(DatabaseOptions database, GrpcServerOptions serverOptions, Clock clock) {
    this.database = database;
    this.pool = Database.pool(vertx, database);
    this.admin = Admin.create(vertx, pool, new AdminOptions().watchPollInterval(POLL_INTERVAL),
        new ExecutionListener() {
          @Override
          public void executionCreated(long executionId, int shard) {
            created.add(executionId);
          }

          @Override
          public void abortRequested(long executionId, int shard) {
            aborted.add(executionId);
          }
        }, clock, metrics);
    GrpcServer grpc = GrpcServer.server(vertx, serverOptions);
    grpc.addService(admin.grpcService(Authenticator.open(metrics),
        (int) serverOptions.getMaxMessageSize()));
    server = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1").await();
    client = GrpcClient.client(vertx);
    address = SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1");
    TaskTemplate echo = TaskTemplate.newBuilder().setType("echo")
        .setInterface(TypedInterface.newBuilder()
            .putInputs("a", Variable.newBuilder().setType(INTEGER).build())
            .putOutputs("a", Variable.newBuilder().setType(INTEGER).build()))
        .build();
    call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "echo", "v1")).setSpec(echo).build());
    call(AdminServiceGrpcClient.CreateWorkflow, WorkflowCreateRequest.newBuilder()
        .setId(id(ResourceType.WORKFLOW, "pair", "v1")).setSpec(pair()).build());
    call(AdminServiceGrpcClient.CreateLaunchPlan, LaunchPlanCreateRequest.newBuilder()
        .setId(id(ResourceType.LAUNCH_PLAN, "pair", "v1"))
        .setSpec(LaunchPlanSpec.newBuilder().setWorkflowId(id(ResourceType.WORKFLOW, "pair", "v1")))
        .build());
  }

  /** The port the admin listens on, on 127.0.0.1. */
  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    client.close().await();
    server.close().await();
    pool.close().await();
    vertx.close().await();
  }

  static Identifier id(ResourceType type, String name, String version) {
    return Identifier.newBuilder().setResourceType(type).setProject("proj").setDomain("dev")
        .setName(name).setVersion(version).build();
  }

  static ExecutionIdentifier executionId(String name) {
    return ExecutionIdentifier.newBuilder().setProject("proj").setDomain("dev").setName(name).build();
  }

  private static WorkflowTemplate pair() {
    Node a = Node.newBuilder().setId("a")
        .setTaskNode(TaskNode.newBuilder().setTaskId(id(ResourceType.TASK, "echo", "v1")))
        .addInputs(Binding.newBuilder().setVar("a").setBinding(BindingData.newBuilder().setWorkflowInput("x")))
        .build();
    Node b = Node.newBuilder().setId("b")
        .setTaskNode(TaskNode.newBuilder().setTaskId(id(ResourceType.TASK, "echo", "v1")))
        .addInputs(Binding.newBuilder().setVar("a").setBinding(BindingData.newBuilder()
            .setPromise(OutputReference.newBuilder().setNodeId("a").setVar("a"))))
        .build();
    return WorkflowTemplate.newBuilder()
        .setInterface(TypedInterface.newBuilder().putInputs("x", Variable.newBuilder().setType(INTEGER).build()))
        .addNodes(a).addNodes(b).build();
  }

  /** Creates an execution of {@code pair} with x = {@code x}. */
  ExecutionIdentifier launch(String name, long x) {
    return call(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest.newBuilder()
        .setProject("proj").setDomain("dev").setName(name)
        .setLaunchPlan(id(ResourceType.LAUNCH_PLAN, "pair", "v1"))
        .setInputs(LiteralMap.newBuilder().putLiterals("x", Literal.newBuilder().setInteger(x).build()))
        .build()).getId();
  }

  <Req, Resp> Resp call(ServiceMethod<Resp, Req> method, Req request) {
    Future<Resp> response = client.request(address, method).compose(call ->
        call.end(request).compose(sent -> call.response()).compose(AdminServer::last));
    try {
      return response.await(20, TimeUnit.SECONDS);
    } catch (Refused e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static <Req, Resp> Future<Resp> last(GrpcClientResponse<Req, Resp> response) {
    return response.last().recover(error -> Future.failedFuture(error instanceof InvalidStatusException
        ? new Refused(new Refusal(response.status(), GrpcMessage.of(response))) : error));
  }

  <Req, Resp> Refusal refusal(ServiceMethod<Resp, Req> method, Req request) {
    try {
      call(method, request);
    } catch (Refused e) {
      return e.refusal;
    }
    throw new AssertionError("the call succeeded");
  }

  /** A WatchExecution stream as the client sees it. */
  final class Watch {
    private final BlockingQueue<ExecutionEvent> events = new LinkedBlockingQueue<>();
    /** The status the stream ended with. */
    final CompletableFuture<Refusal> ended = new CompletableFuture<>();
    private final GrpcClientRequest<ExecutionWatchRequest, ExecutionEvent> request;
    /** Completes when the stream has started; then response and context are set. */
    private final CompletableFuture<Void> streaming = new CompletableFuture<>();
    private volatile GrpcClientResponse<ExecutionWatchRequest, ExecutionEvent> response;
    private volatile Context context;

    /** {@code paused}: the client takes no message until {@link #fetch} or {@link #resume}. */
    Watch(ExecutionIdentifier id, boolean paused) {
      request = client.request(address, AdminServiceGrpcClient.WatchExecution).await();
      request.end(ExecutionWatchRequest.newBuilder().setId(id).build());
      request.response().onComplete(started -> {
        if (started.failed()) {
          ended.completeExceptionally(started.cause());
          return;
        }
        response = started.result();
        context = Vertx.currentContext();
        if (paused) {
          response.pause();
        }
        response.handler(events::add);
        response.end().onComplete(done ->
            ended.complete(new Refusal(response.status(), GrpcMessage.of(response))));
        streaming.complete(null);
      });
    }

    /** Lets {@code count} more messages in to a paused watch. */
    void fetch(long count) throws Exception {
      onContext(() -> response.fetch(count));
    }

    /** The client takes every message again, as they come. */
    void resume() throws Exception {
      onContext(() -> response.resume());
    }

    private void onContext(Runnable action) throws Exception {
      streaming.get(10, TimeUnit.SECONDS);
      context.runOnContext(v -> action.run());
    }

    /** The next {@code count} messages, waiting at most ten seconds for them. */
    List<ExecutionEvent> next(int count) throws InterruptedException {
      List<ExecutionEvent> received = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        ExecutionEvent event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
          throw new AssertionError("got " + received + " and then nothing");
        }
        received.add(event);
      }
      return received;
    }

    /** Every message received and not yet taken. */
    List<ExecutionEvent> rest() {
      List<ExecutionEvent> rest = new java.util.ArrayList<>();
      events.drainTo(rest);
      return rest;
    }

    Refusal end() throws Exception {
      return ended.get(10, TimeUnit.SECONDS);
    }

    void cancel() {
      request.cancel();
    }
  }

  Watch watch(ExecutionIdentifier id) {
    return new Watch(id, false);
  }

  /** A watch whose client takes no message until told to. */
  Watch pausedWatch(ExecutionIdentifier id) {
    return new Watch(id, true);
  }

  /**
   * Waits, ten seconds at most, until the counter {@code name} reaches {@code atLeast}: for a
   * test that must not act before the server has done something it cannot otherwise observe.
   */
  void awaitCounter(String name, double atLeast) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (counter(name) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " stayed below " + atLeast);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private double counter(String name) {
    return metrics.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name.replace("_total", "")))
        .map(m -> ((CounterSnapshot) m).getDataPoints().get(0).getValue()).findFirst().orElse(0.0);
  }

  double gauge(String name) {
    return metrics.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue()).findFirst().orElseThrow();
  }

  long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs statements in one transaction, as the propeller commits a round. */
  void commit(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String statement : statements) {
        s.execute(statement);
      }
      c.commit();
    }
  }

  long rowId(ExecutionIdentifier id) throws Exception {
    return count("SELECT id FROM executions WHERE name = '" + id.getName() + "'");
  }
}
