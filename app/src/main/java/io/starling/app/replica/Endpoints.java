package io.starling.app.replica;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.app.config.TlsOptions;
import io.starling.proto.admin.AdminServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.Service;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The network faces of a replica: gRPC (the admin API, the worker protocol, standard health
 * checking and server reflection on one port, and the web console that calls the admin there
 * over gRPC-Web) and HTTP ({@code /metrics} for Prometheus, {@code /healthz}).
 */
final class Endpoints {

  private Endpoints() {}

  /** The admin, and {@code others} (the worker protocol) on the same port. */
  static Future<HttpServer> grpc(Vertx vertx, Service admin, List<Service> others, Pool pool,
      String host, int port, int maxMessageBytes, TlsOptions tls) {
    GrpcServer grpc = GrpcServer.server(vertx,
        new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
    HealthService health = HealthService.create(vertx)
        .register(AdminServiceGrpcService.SERVICE_NAME, () -> databaseReachable(pool));
    grpc.addService(admin).addService(health).addService(ReflectionService.v1());
    others.forEach(grpc::addService);
    return vertx.createHttpServer(tls.apply(new HttpServerOptions().setHost(host).setPort(port),
            true))
        .requestHandler(request -> {
          if (request.method() == HttpMethod.GET && Console.serves(request.path())) {
            Console.serve(request);
          } else {
            grpc.handle(request);
          }
        })
        .listen();
  }

  /**
   * {@code /metrics}; {@code /healthz} and {@code /readyz}: 200 when the database answers and
   * (for readiness) {@code serving} says the replica serves; {@code /livez}: 200 whenever the
   * process answers, so that no outage of the database or long handover restarts replicas.
   */
  static Future<HttpServer> http(Vertx vertx, PrometheusRegistry registry, Pool pool,
      String host, int port, TlsOptions tls, BooleanSupplier serving) {
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    return vertx.createHttpServer(tls.apply(new HttpServerOptions().setHost(host).setPort(port),
            false))
        .requestHandler(request -> {
          switch (request.path()) {
            case "/metrics" -> metrics(request, registry, writer);
            case "/healthz" -> databaseReachable(pool).onComplete(up -> request.response()
                .setStatusCode(up.succeeded() && up.result() ? 200 : 503)
                .end(up.succeeded() && up.result() ? "ok\n" : "database unreachable\n"));
            case "/readyz" -> {
              if (!serving.getAsBoolean()) {
                request.response().setStatusCode(503).end("starting or stopping\n");
              } else {
                databaseReachable(pool).onComplete(up -> request.response()
                    .setStatusCode(up.succeeded() && up.result() ? 200 : 503)
                    .end(up.succeeded() && up.result() ? "ready\n" : "database unreachable\n"));
              }
            }
            case "/livez" -> request.response().end("alive\n");
            default -> request.response().setStatusCode(404).end();
          }
        })
        .listen();
  }

  private static void metrics(
      HttpServerRequest request, PrometheusRegistry registry, PrometheusTextFormatWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      request.response().setStatusCode(500).end();
      return;
    }
    request.response()
        .putHeader("Content-Type", writer.getContentType())
        .end(Buffer.buffer(out.toByteArray()));
  }

  private static Future<Boolean> databaseReachable(Pool pool) {
    return pool.query("SELECT 1").execute().map(rows -> true).otherwise(false);
  }
}
