package io.starling.schema;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers a test starts on loopback (gRPC, HTTP, Hazelcast members), picked
 * below Linux's ephemeral range (32768 and up), so that no outgoing connection of another
 * process can take a port between the moment it is picked and the moment its server binds it
 * — a port the OS hands out for {@code new ServerSocket(0)} is in that range and can be.
 * A port is handed out once per JVM.
 */
public final class LoopbackPorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private LoopbackPorts() {}

  /** A port no server listens on now, and that this JVM has not handed out before. */
  public static synchronized int reserve() {
    for (int tries = 0; tries < 1_000; tries++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (!HANDED_OUT.contains(port) && free(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port in " + FIRST + "-" + LAST);
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
