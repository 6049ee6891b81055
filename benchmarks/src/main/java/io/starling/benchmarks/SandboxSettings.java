package io.starling.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of a harness's in-JVM sandbox: the process's environment (so STARLING_* given on
 * the command line apply), its data directory, and ports the OS picks.
 */
final class SandboxSettings {

  private SandboxSettings() {}

  static Map<String, String> of(Path data) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("STARLING_DATABASE_DATA_DIR", data.toString());
    environment.put("STARLING_GRPC_PORT", "0");
    environment.put("STARLING_HTTP_PORT", "0");
    return environment;
  }
}
