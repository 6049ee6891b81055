package io.starling.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.auth.ApiKey;
import io.starling.schema.RealTime;
import io.starling.sdk.example.SeedMapWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK against a server that takes only API keys: with the bootstrap key it registers,
 * runs and serves; without one it is refused; a worker whose key may not serve the project
 * stops at once and says why instead of reconnecting forever.
 */
class JavaSdkAuthIT {

  private static final ApiKey ADMIN = ApiKey.generate();

  @TempDir
  static Path data;
  private static Replica server;
  private static String address;

  @BeforeAll
  static void start() {
    server = Replica.start(StarlingConfig.load(null, Map.of(
        "STARLING_DATABASE_DATA_DIR", data.resolve("pg").toString(),
        "STARLING_DATABASE_DURABLE", "false", "STARLING_AUTH_MODE", "api-keys",
        "STARLING_AUTH_BOOTSTRAP_KEY", ADMIN.text(),
        "STARLING_GRPC_PORT", "0", "STARLING_HTTP_PORT", "0")));
    address = "127.0.0.1:" + server.grpcPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aKeyIsSentByTheClientAndTheWorker() {
    Workflow workflow = SeedMapWorkflow.MY_MAP_WORKFLOW;
    try (Starling starling = Starling.connect(address, "alpha", "development", ADMIN.text());
        Worker worker = Worker.start(address, "alpha", "development", "seed", workflow.tasks(),
            16, 1, ADMIN.text())) {
      starling.register("v1", "seed", List.of(workflow));
      String name = starling.launch(workflow, "v1", Map.of("a", List.of(1L, 2L)));
      assertThat(starling.await(name, workflow).get("o0")).isEqualTo("34");
    }
    try (Starling anonymous = Starling.connect(address, "alpha", "development", null)) {
      assertThat(catchThrowableOfType(StarlingException.class,
          () -> anonymous.launch(workflow, "v1", Map.of("a", List.of(1L)))).status())
          .isEqualTo("UNAUTHENTICATED");
    }
  }

  @Test
  void aWorkerThatIsRefusedStopsAndSaysWhy() throws Exception {
    try (Worker worker = Worker.start(address, "alpha", "development", "seed",
        SeedMapWorkflow.MY_MAP_WORKFLOW.tasks(), 16, 1, ApiKey.generate().text())) {
      RealTime.await("the worker's refusal", Duration.ofSeconds(30),
          () -> worker.refusal().isPresent());
      assertThat(worker.refusal().orElseThrow().status()).isEqualTo("UNAUTHENTICATED");
    }
  }
}
