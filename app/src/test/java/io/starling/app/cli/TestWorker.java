package io.starling.app.cli;

import io.starling.proto.GrpcMessage;
import io.starling.proto.worker.Hello;
import io.starling.proto.worker.Queue;
import io.starling.proto.worker.ServerMessage;
import io.starling.proto.worker.WorkerMessage;
import io.starling.proto.worker.WorkerServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker as a test drives it, message by message, over a real WorkerService.Connect stream:
 * what the server sends is queued for {@link #next}; how the stream ended is {@link #ended}.
 */
final class TestWorker implements AutoCloseable {

  /** How a stream ended: its status and message. */
  record End(GrpcStatus status, String message) {}

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final GrpcClient client = GrpcClient.client(vertx);
  private final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<End> ended = new CompletableFuture<>();
  private final GrpcClientRequest<WorkerMessage, ServerMessage> stream;

  private TestWorker(int port, String apiKey) {
    stream = client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"),
        WorkerServiceGrpcClient.Connect).await();
    if (apiKey != null) {
      stream.headers().set("authorization", "Bearer " + apiKey);
    }
    stream.response().onSuccess(response -> {
      response.handler(received::add);
      response.endHandler(v -> ended.complete(
          new End(response.status(), GrpcMessage.of(response))));
      response.exceptionHandler(e -> ended.complete(new End(response.status(), e.toString())));
    });
  }

  static TestWorker connect(int port) {
    return new TestWorker(port, null);
  }

  /** Connects with {@code apiKey} and says hello for {@code project/development/queue}. */
  static TestWorker hello(int port, String apiKey, String project, String queue) {
    return new TestWorker(port, apiKey).hello(project, queue, 1);
  }

  /** Connects and says hello for the queue {@code default/development/queue}. */
  static TestWorker hello(int port, String queue, int capacity) {
    return connect(port).hello("default", queue, capacity);
  }

  private TestWorker hello(String project, String queue, int capacity) {
    send(WorkerMessage.newBuilder().setHello(Hello.newBuilder().setWorkerId("test")
        .setCapacity(capacity).addQueues(Queue.newBuilder().setProject(project)
            .setDomain("development").setName(queue))).build());
    return this;
  }

  void send(WorkerMessage message) {
    stream.write(message).await();
  }

  /** The next message the server sent; fails the test if none comes within {@code within}. */
  ServerMessage next(Duration within) throws InterruptedException {
    ServerMessage message = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("the server sent nothing within " + within);
    }
    return message;
  }

  /** The next message of {@code kind}, skipping others. */
  ServerMessage next(ServerMessage.KindCase kind, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      ServerMessage message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (message.getKindCase() == kind) {
        return message;
      }
    }
  }

  End ended(Duration within) throws Exception {
    return ended.get(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Breaks the stream as a dying worker would. */
  void reset() {
    stream.cancel();
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
