package io.starling.app.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.ServiceMethod;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking client of the admin API for the command line: every call goes over gRPC to the
 * server and returns its response or throws {@link RpcException} with the server's status and
 * message. Blocks the calling thread, which must not be an event loop.
 */
public final class AdminClient implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress server;

  public AdminClient(String host, int port) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    this.client = GrpcClient.client(vertx);
    this.server = SocketAddress.inetSocketAddress(port, host);
  }

  /** Calls {@code method} with {@code request}, e.g. {@code call(AdminServiceGrpcClient.GetTask, ...)}. */
  public <Req, Resp> Resp call(ServiceMethod<Resp, Req> method, Req request) {
    Future<Resp> response = client.request(server, method).compose(call ->
        call.end(request).compose(sent -> call.response()).compose(this::last));
    try {
      return response.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new RpcException(io.vertx.grpc.common.GrpcStatus.DEADLINE_EXCEEDED,
          "no answer from " + server + " within " + TIMEOUT_SECONDS + "s");
    } catch (RpcException e) {
      throw e;
    } catch (Exception e) {
      // Future.await rethrows the cause as it is, checked or not.
      if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
        throw new RpcException(io.vertx.grpc.common.GrpcStatus.UNAVAILABLE,
            "cannot reach the server at " + server + " (is `starling sandbox` running?)");
      }
      throw new IllegalStateException("call to " + server + " failed: " + e, e);
    }
  }

  private <Req, Resp> Future<Resp> last(GrpcClientResponse<Req, Resp> response) {
    return response.last().recover(error -> Future.failedFuture(
        error instanceof InvalidStatusException
            ? new RpcException(response.status(), response.statusMessage())
            : error));
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
