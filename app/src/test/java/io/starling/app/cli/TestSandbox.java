package io.starling.app.cli;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Sandboxes for the app's tests: PostgreSQL data under the test's directory, ports the OS picks. */
final class TestSandbox {

  private TestSandbox() {}

  /** Starts a sandbox with {@code settings} (STARLING_* variables) on top of those. */
  static Replica start(Path dataDirectory, Map<String, String> settings) {
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("STARLING_DATABASE_DATA_DIR", dataDirectory.toString());
    environment.put("STARLING_GRPC_PORT", "0");
    environment.put("STARLING_HTTP_PORT", "0");
    return Replica.start(StarlingConfig.load(null, environment));
  }
}
