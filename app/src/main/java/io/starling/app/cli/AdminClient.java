package io.starling.app.cli;

import io.starling.proto.GrpcMessage;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionWatchRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * A blocking client of the admin API for the command line: every call goes over gRPC to the
 * server and returns its response or throws {@link RpcException} with the server's status and
 * message. Blocks the calling thread, which must not be an event loop.
 */
public final class AdminClient implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 60;
  /**
   * The largest response the client reads: well above what the platform produces (a
   * 10,000-node workflow's spec and closure are a few MB), far above Vert.x's 256 KiB default.
   */
  static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress server;
  private final String authorization;

  /** A client that sends no credentials (an open server). */
  public AdminClient(String host, int port) {
    this(host, port, null);
  }

  /** A client that sends {@code apiKey} (when not null or blank) on every call. */
  public AdminClient(String host, int port, String apiKey) {
    this(host, port, apiKey, new HttpClientOptions());
  }

  /** A client over {@code transport} (e.g. with TLS), sending {@code apiKey}. */
  public AdminClient(String host, int port, String apiKey, HttpClientOptions transport) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // Given transport options, Vert.x's gRPC client takes them as they are: HTTP/2 (by prior
    // knowledge in plain text, by ALPN over TLS) has to be asked for.
    this.client = GrpcClient.client(vertx,
        new GrpcClientOptions().setMaxMessageSize(MAX_RESPONSE_BYTES),
        new HttpClientOptions(transport).setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false));
    this.server = SocketAddress.inetSocketAddress(port, host);
    this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey.strip();
  }

  /** Calls {@code method} with {@code request}, e.g. {@code call(AdminServiceGrpcClient.GetTask, ...)}. */
  public <Req, Resp> Resp call(ServiceMethod<Resp, Req> method, Req request) {
    return await(client.request(server, method).compose(call ->
        authorized(call).end(request).compose(sent -> call.response()).compose(this::last)), TIMEOUT_SECONDS);
  }

  /**
   * Watches an execution: hands every message of the WatchExecution stream to {@code events}
   * (on the client's event loop, in order) and returns when the stream completes, after the
   * message that reports a terminal phase. No time limit.
   */
  public void watch(ExecutionIdentifier id, Consumer<ExecutionEvent> events) {
    await(client.request(server, AdminServiceGrpcClient.WatchExecution).compose(call ->
        authorized(call).end(ExecutionWatchRequest.newBuilder().setId(id).build())
            .compose(sent -> call.response()))
        .compose(response -> {
          response.handler(events::accept);
          return response.end().transform(ended -> response.status() == GrpcStatus.OK
              ? Future.<Void>succeededFuture()
              : Future.failedFuture(response.status() != null
                  ? new RpcException(response.status(), GrpcMessage.of(response))
                  : ended.cause()));
        }), 0);
  }

  /** Waits for {@code result}; {@code timeoutSeconds} 0 means without a limit. */
  private <T> T await(Future<T> result, long timeoutSeconds) {
    try {
      return timeoutSeconds == 0 ? result.await() : result.await(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new RpcException(GrpcStatus.DEADLINE_EXCEEDED,
          "no answer from " + server + " within " + timeoutSeconds + "s");
    } catch (RpcException e) {
      throw e;
    } catch (MessageSizeOverflowException e) {
      throw new RpcException(GrpcStatus.RESOURCE_EXHAUSTED, "the response has "
          + e.messageSize() + " bytes; the most this client reads is " + MAX_RESPONSE_BYTES);
    } catch (Exception e) {
      // Future.await rethrows the cause as it is, checked or not.
      if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
        throw new RpcException(GrpcStatus.UNAVAILABLE, "cannot resolve the server's host "
            + server.host() + " (--server HOST:PORT)");
      }
      if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
        throw new RpcException(GrpcStatus.UNAVAILABLE,
            "cannot reach the server at " + server + " (is `starling sandbox` running?)");
      }
      if (e instanceof HttpClosedException) {
        throw new RpcException(GrpcStatus.UNAVAILABLE, server + " closed the connection"
            + " (a server with TLS takes only clients with it: --tls or --tls-ca)");
      }
      if (e instanceof SSLException || e.getCause() instanceof SSLException) {
        throw new RpcException(GrpcStatus.UNAVAILABLE, "TLS with " + server + " failed: "
            + e.getMessage() + " (--tls-ca names the server's CA; a server that asks for a"
            + " client certificate needs --tls-cert and --tls-key)");
      }
      throw new IllegalStateException("call to " + server + " failed: " + e, e);
    }
  }

  private <Req, Resp> GrpcClientRequest<Req, Resp> authorized(
      GrpcClientRequest<Req, Resp> call) {
    if (authorization != null) {
      call.headers().set(HttpHeaders.AUTHORIZATION, authorization);
    }
    return call;
  }

  private <Req, Resp> Future<Resp> last(GrpcClientResponse<Req, Resp> response) {
    return response.last().recover(error -> Future.failedFuture(
        error instanceof InvalidStatusException
            ? new RpcException(response.status(), GrpcMessage.of(response))
            : error));
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
