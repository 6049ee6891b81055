package io.starling.sdk;

import com.google.protobuf.util.Durations;
import io.starling.proto.GrpcMessage;
import io.starling.proto.worker.Assignment;
import io.starling.proto.worker.Heartbeat;
import io.starling.proto.worker.Hello;
import io.starling.proto.worker.Lease;
import io.starling.proto.worker.Queue;
import io.starling.proto.worker.Report;
import io.starling.proto.worker.Reports;
import io.starling.proto.worker.ServerMessage;
import io.starling.proto.worker.TaskFailure;
import io.starling.proto.worker.WorkerMessage;
import io.starling.proto.worker.WorkerServiceGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Java {@link Task}s over {@code WorkerService.Connect}: one stream, a hello naming the
 * queue and the capacity, the attempts it is sent run on a pool of threads, their reports sent
 * in batches, heartbeats for what it holds. A broken stream is opened again with backoff (100 ms
 * doubling to 5 s) to the next of its servers; reports not acknowledged are sent again there.
 * Everything about the stream runs on one Vert.x context.
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final int TRACEBACK_CHARS = 4000;
  private static final Set<GrpcStatus> REFUSALS = EnumSet.of(GrpcStatus.UNAUTHENTICATED,
      GrpcStatus.PERMISSION_DENIED, GrpcStatus.INVALID_ARGUMENT);

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final Context context = vertx.getOrCreateContext();
  /** The largest message read: a batch of assignments of large inputs. */
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final GrpcClient client = GrpcClient.client(vertx,
      new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE_BYTES),
      Transport.fromEnvironment());
  private final List<SocketAddress> servers;
  private final Queue queue;
  private final Map<String, Task> tasks = new HashMap<>();
  private final int capacity;
  private final ExecutorService threads;
  private final String workerId;
  private final ApiKey apiKey;
  // Guarded by the context: touched only on it.
  private final Map<Long, Lease> held = new HashMap<>();
  private final Map<Long, Report> unacked = new LinkedHashMap<>();
  private final List<Report> unsent = new ArrayList<>();
  private GrpcClientRequest<WorkerMessage, ServerMessage> stream;
  private long heartbeatTimer = -1;
  private int server;
  private long backoffMillis = 100;
  private boolean closed;
  private volatile StarlingException refusal;

  private Worker(String servers, String project, String domain, String queue,
      List<Task> tasks, int capacity, int threads, ApiKey apiKey) {
    this.apiKey = apiKey;
    this.servers = Servers.addresses(servers);
    this.queue = Queue.newBuilder().setProject(project).setDomain(domain).setName(queue).build();
    tasks.forEach(task -> this.tasks.put(task.name(), task));
    this.capacity = capacity;
    this.threads = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "starling-task");
      thread.setDaemon(true);
      return thread;
    });
    this.workerId = ManagementFactory.getRuntimeMXBean().getName();
  }

  /**
   * Starts serving {@code tasks} from {@code queue} of {@code project/domain} through
   * {@code servers} ({@code host:port}, several separated by commas), holding at most
   * {@code capacity} attempts, running {@code threads} at once; with the API key in
   * {@code $STARLING_API_KEY} if it is set.
   */
  public static Worker start(String servers, String project, String domain, String queue,
      List<Task> tasks, int capacity, int threads) {
    return start(new Worker(servers, project, domain, queue, tasks, capacity, threads,
        ApiKey.fromEnvironment()));
  }

  /** As {@link #start(String, String, String, String, List, int, int)}, sending {@code apiKey}. */
  public static Worker start(String servers, String project, String domain, String queue,
      List<Task> tasks, int capacity, int threads, String apiKey) {
    return start(new Worker(servers, project, domain, queue, tasks, capacity, threads,
        ApiKey.of(apiKey)));
  }

  private static Worker start(Worker worker) {
    worker.context.runOnContext(v -> worker.connect());
    return worker;
  }

  private void connect() {
    if (closed) {
      return;
    }
    SocketAddress address = servers.get(server);
    client.request(address, WorkerServiceGrpcClient.Connect).onComplete(opened -> {
      if (opened.failed()) {
        broken(address, opened.cause().toString());
        return;
      }
      GrpcClientRequest<WorkerMessage, ServerMessage> request = opened.result();
      apiKey.addTo(request.headers());
      stream = request;
      request.write(WorkerMessage.newBuilder().setHello(Hello.newBuilder()
          .setWorkerId(workerId).setCapacity(capacity).addQueues(queue)).build());
      if (!unacked.isEmpty()) {
        request.write(WorkerMessage.newBuilder().setReports(Reports.newBuilder()
            .addAllReports(unacked.values())).build());
      }
      request.response().onComplete(response -> {
        if (response.failed()) {
          broken(address, response.cause().toString());
          return;
        }
        response.result().handler(this::received);
        response.result().endHandler(v -> {
          GrpcStatus status = response.result().status();
          if (REFUSALS.contains(status)) {
            refused(address, new StarlingException(status.name(),
                GrpcMessage.of(response.result())));
          } else {
            broken(address, "the server ended the stream (" + status + ")");
          }
        });
        response.result().exceptionHandler(e -> broken(address, e.toString()));
      });
    });
  }

  /** A refusal no reconnection mends: the worker stops serving and says why, once. */
  private void refused(SocketAddress address, StarlingException why) {
    streamGone();
    refusal = why;
    LOG.error("{} refused the worker, which stops serving: {}", address, why.getMessage());
  }

  private void streamGone() {
    stream = null;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
  }

  /** Why the server refused this worker for good (e.g. a key without the worker role). */
  public Optional<StarlingException> refusal() {
    return Optional.ofNullable(refusal);
  }

  private void broken(SocketAddress address, String why) {
    streamGone();
    if (closed) {
      return;
    }
    server = (server + 1) % servers.size();
    LOG.warn("worker stream to {} broke ({}); connecting to {} in {} ms", address, why,
        servers.get(server), backoffMillis);
    vertx.setTimer(backoffMillis, id -> connect());
    backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
  }

  private void received(ServerMessage message) {
    switch (message.getKindCase()) {
      case WELCOME -> {
        backoffMillis = 100;
        long every = Math.max(100,
            Durations.toMillis(message.getWelcome().getHeartbeatInterval()));
        heartbeatTimer = vertx.setPeriodic(every, id -> heartbeat());
        LOG.info("worker {} serves queue {}/{}/{} (session {})", workerId, queue.getProject(),
            queue.getDomain(), queue.getName(), message.getWelcome().getSessionId());
      }
      case ASSIGNMENTS -> {
        for (Assignment assignment : message.getAssignments().getAssignmentsList()) {
          held.put(assignment.getLease().getAttemptId(), assignment.getLease());
          threads.execute(() -> run(assignment));
        }
      }
      case ACKS -> message.getAcks().getAcksList()
          .forEach(ack -> unacked.remove(ack.getLease().getAttemptId()));
      case SUPERSEDED -> message.getSuperseded().getLeasesList().forEach(lease -> {
        held.remove(lease.getAttemptId());
        unacked.remove(lease.getAttemptId());
      });
      default -> { }
    }
  }

  private void heartbeat() {
    if (stream != null && !held.isEmpty()) {
      stream.write(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
          .addAllLeases(held.values())).build());
    }
  }

  /** On a task thread: runs the attempt, then hands its report to the context. */
  private void run(Assignment assignment) {
    Report.Builder report = Report.newBuilder().setLease(assignment.getLease());
    Task task = tasks.get(assignment.getAttempt().getTaskId().getName());
    try {
      if (task == null) {
        throw new IllegalStateException("this worker has no task "
            + assignment.getAttempt().getTaskId().getName());
      }
      report.setOutputs(task.run(assignment.getAttempt().getInputs()));
    } catch (RuntimeException | Error e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      String text = trace.toString();
      report.setFailure(TaskFailure.newBuilder().setCode(e.getClass().getSimpleName())
          .setMessage(e.getMessage() == null ? e.getClass().getName() : e.getMessage())
          .setRetryable(task != null)
          .setTraceback(text.length() <= TRACEBACK_CHARS ? text
              : text.substring(0, TRACEBACK_CHARS)));
    }
    Report done = report.build();
    context.runOnContext(v -> reported(done));
  }

  private void reported(Report report) {
    long attempt = report.getLease().getAttemptId();
    if (held.remove(attempt) == null) {
      return; // superseded meanwhile: nobody takes the result
    }
    unacked.put(attempt, report);
    boolean first = unsent.isEmpty();
    unsent.add(report);
    if (first) {
      context.runOnContext(v -> flush());
    }
  }

  /** Sends every report made since the last flush in one message. */
  private void flush() {
    if (unsent.isEmpty()) {
      return;
    }
    if (stream != null) {
      stream.write(WorkerMessage.newBuilder().setReports(Reports.newBuilder()
          .addAllReports(unsent)).build());
    }
    unsent.clear(); // kept in unacked: sent again on the next stream if not acknowledged
  }

  /** Stops: the stream closes, the threads stop; leases still held expire on the server. */
  @Override
  public void close() {
    context.runOnContext(v -> {
      closed = true;
      if (stream != null) {
        stream.end();
      }
    });
    threads.shutdownNow();
    client.close().await();
    vertx.close().await();
  }
}
