package io.starling.app;

import java.util.List;

/**
 * The JDK access Hazelcast asks for (it runs faster with it, and warns on stderr without it),
 * as the {@code starling} launcher grants it. For what starts Starling processes from Java:
 * the chaos tests' and the benchmarks' replicas.
 */
public final class JvmOptions {

  /** Options to put before the main class. */
  public static final List<String> HAZELCAST_ACCESS = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private JvmOptions() {}
}
