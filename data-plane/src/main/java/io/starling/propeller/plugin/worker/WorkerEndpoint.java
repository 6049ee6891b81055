package io.starling.propeller.plugin.worker;

import com.google.protobuf.Descriptors;
import com.google.protobuf.util.Durations;
import io.starling.auth.Authenticator;
import io.starling.auth.Principal;
import io.starling.auth.Role;
import io.starling.proto.GrpcMessage;
import io.starling.proto.Names;
import io.starling.proto.worker.Hello;
import io.starling.proto.worker.Queue;
import io.starling.proto.worker.Report;
import io.starling.proto.worker.ServerMessage;
import io.starling.proto.worker.Welcome;
import io.starling.proto.worker.WorkerMessage;
import io.starling.proto.worker.WorkerServiceGrpcService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;

/**
 * WorkerService over gRPC: one {@code Connect} stream per worker, its messages checked and
 * handed to {@link WorkerSessions}. A stream whose first message is not a valid Hello, or that
 * sends a malformed message later, ends with INVALID_ARGUMENT saying what is wrong; one without
 * valid credentials UNAUTHENTICATED, one naming a queue of a project its key may not serve
 * PERMISSION_DENIED; a closed
 * stream closes its session (its leases stay, for the worker to report after reconnecting).
 */
public final class WorkerEndpoint implements Service {

  /** The most attempts one worker holds at once. */
  static final int MAX_CAPACITY = 10_000;
  private static final int MAX_QUEUES = 100;

  private final WorkerSessions sessions;
  private final WorkerOptions options;
  private final Authenticator auth;

  /** @param auth who a stream is from; a worker needs the worker role in its queues' projects */
  public WorkerEndpoint(WorkerSessions sessions, WorkerOptions options, Authenticator auth) {
    this.sessions = sessions;
    this.options = options;
    this.auth = auth;
  }

  @Override
  public ServiceName name() {
    return WorkerServiceGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return WorkerServiceGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    server.callHandler(WorkerServiceGrpcService.Connect, this::connect);
  }

  private void connect(GrpcServerRequest<WorkerMessage, ServerMessage> request) {
    GrpcServerResponse<WorkerMessage, ServerMessage> response = request.response();
    Context context = Vertx.currentContext();
    Stream stream = new Stream(response, context);
    request.pause();
    request.handler(stream::received);
    request.endHandler(v -> stream.closed(true));
    request.exceptionHandler(e -> stream.closed(false));
    response.exceptionHandler(e -> stream.closed(false));
    auth.authenticate(request.headers().get(HttpHeaders.AUTHORIZATION)).onComplete(who ->
        context.runOnContext(v -> {
          if (who.succeeded()) {
            stream.principal = who.result();
            request.resume();
          } else if (who.cause() instanceof StatusException refused) {
            stream.refuse(refused.status(), refused.message());
          } else {
            stream.refuse(GrpcStatus.UNAVAILABLE, "cannot check the credentials; try again");
          }
        }));
  }

  /** One worker's stream; its handlers run on the stream's context. */
  private final class Stream {

    private final GrpcServerResponse<WorkerMessage, ServerMessage> response;
    private final Context context;
    private WorkerSessions.Session session;
    private Principal principal;
    private boolean over;

    Stream(GrpcServerResponse<WorkerMessage, ServerMessage> response, Context context) {
      this.response = response;
      this.context = context;
    }

    void received(WorkerMessage message) {
      if (over) {
        return;
      }
      String wrong = session == null ? hello(message) : message(message);
      if (wrong != null) {
        refuse(GrpcStatus.INVALID_ARGUMENT, wrong);
      }
    }

    private String hello(WorkerMessage message) {
      if (!message.hasHello()) {
        return "the first message of a worker's stream must be a hello, got "
            + message.getKindCase();
      }
      Hello hello = message.getHello();
      if (hello.getWorkerId().isEmpty() || hello.getWorkerId().length() > 255) {
        return "hello.worker_id must have 1-255 characters";
      }
      if (hello.getCapacity() < 1 || hello.getCapacity() > MAX_CAPACITY) {
        return "hello.capacity must be within 1-" + MAX_CAPACITY + ", got "
            + Integer.toUnsignedString(hello.getCapacity());
      }
      if (hello.getQueuesCount() < 1 || hello.getQueuesCount() > MAX_QUEUES) {
        return "hello.queues must name 1-" + MAX_QUEUES + " queues, got "
            + hello.getQueuesCount();
      }
      List<String> queues = new ArrayList<>();
      for (Queue queue : hello.getQueuesList()) {
        if (!Names.isName(queue.getProject()) || !Names.isName(queue.getDomain())) {
          return "hello.queues: project and domain must be 1-255 characters of [A-Za-z0-9_.-],"
              + " got '" + queue.getProject() + "/" + queue.getDomain() + "'";
        }
        String name = queue.getName().isEmpty() ? WorkerPlugin.DEFAULT_QUEUE : queue.getName();
        if (!Names.isQueue(name)) {
          return "hello.queues: name must be 1-255 characters of [A-Za-z0-9_.@:-], got '"
              + name + "'";
        }
        if (!principal.may(Role.WORKER, queue.getProject())) {
          refuse(GrpcStatus.PERMISSION_DENIED, principal.describe() + " may not serve the"
              + " queues of project " + queue.getProject() + " (it needs the worker role)");
          return null;
        }
        queues.add(WorkerPlugin.queue(queue.getProject(), queue.getDomain(), name));
      }
      session = sessions.open(hello.getWorkerId(), queues, hello.getCapacity(), this::send);
      send(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
          .setSessionId(session.id())
          .setLeaseTimeout(Durations.fromNanos(options.leaseTimeout().toNanos()))
          .setHeartbeatInterval(Durations.fromNanos(options.heartbeatInterval().toNanos())))
          .build());
      return null;
    }

    private String message(WorkerMessage message) {
      switch (message.getKindCase()) {
        case REPORTS -> {
          List<Report> reports = message.getReports().getReportsList();
          for (Report report : reports) {
            if (report.getLease().getAttemptId() <= 0) {
              return "a report must name its lease (attempt_id and token)";
            }
            if (report.getResultCase() == Report.ResultCase.RESULT_NOT_SET) {
              return "the report of attempt " + report.getLease().getAttemptId()
                  + " has neither outputs nor a failure";
            }
          }
          sessions.reports(session, reports);
        }
        case HEARTBEAT -> sessions.heartbeat(session, message.getHeartbeat());
        case CAPACITY -> {
          if (message.getCapacity() < 0 || message.getCapacity() > MAX_CAPACITY) {
            return "capacity must be within 0-" + MAX_CAPACITY + ", got "
                + Integer.toUnsignedString(message.getCapacity());
          }
          sessions.capacity(session, message.getCapacity());
        }
        case HELLO -> {
          return "hello is the first message only";
        }
        default -> {
          return "a worker message must be reports, a heartbeat or a capacity";
        }
      }
      return null;
    }

    private void send(ServerMessage message) {
      context.runOnContext(v -> {
        if (!over) {
          try {
            response.write(message);
          } catch (IllegalStateException gone) {
            closed(false);
          }
        }
      });
    }

    private void refuse(GrpcStatus status, String why) {
      closed(false);
      try {
        response.trailers().set(GrpcHeaderNames.GRPC_MESSAGE, GrpcMessage.encode(why));
        response.status(status).end();
      } catch (IllegalStateException gone) {
        // the worker went away first: nobody to tell
      }
    }

    void closed(boolean byWorker) {
      if (over) {
        return;
      }
      over = true;
      if (session != null) {
        sessions.close(session);
      }
      if (byWorker) {
        try {
          response.end();
        } catch (IllegalStateException gone) {
          // already reset
        }
      }
    }
  }
}
