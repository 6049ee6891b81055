package io.starling.app.replica;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The web console's files, served on the gRPC port ({@code /} and {@code /console/…}) so that
 * its gRPC-Web calls to the admin go to the origin that served it. The files are read from the
 * class path once; what they show comes from the admin, with the caller's API key.
 */
final class Console {

  private static final List<String> FILES = List.of("index.html", "console.css", "favicon.svg",
      "console.js", "api.js", "dom.js", "executions.js", "execution.js", "nodes.js",
      "node-details.js", "graph.js", "registry.js", "schedules.js", "cluster.js");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");
  private static final Map<String, Buffer> CONTENT = load();

  private Console() {}

  static boolean serves(String path) {
    return path.equals("/") || path.equals("/console") || path.startsWith("/console/");
  }

  static void serve(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/") || path.equals("/console")) {
      request.response().setStatusCode(302).putHeader("location", "/console/").end();
      return;
    }
    String file = path.substring("/console/".length());
    file = file.isEmpty() ? "index.html" : file;
    Buffer content = CONTENT.get(file);
    if (content == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.response().putHeader("content-type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)))
        .putHeader("cache-control", "no-cache")
        .putHeader("x-content-type-options", "nosniff")
        // No page of another origin may frame the console and click its buttons for the user.
        .putHeader("content-security-policy", "default-src 'self'; frame-ancestors 'none'")
        .end(content);
  }

  private static Map<String, Buffer> load() {
    Map<String, Buffer> content = new java.util.HashMap<>();
    for (String file : FILES) {
      try (InputStream in = Console.class.getResourceAsStream("/console/" + file)) {
        if (in == null) {
          throw new IllegalStateException("the console's " + file + " is not on the class path");
        }
        content.put(file, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(content);
  }
}
