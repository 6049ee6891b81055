package io.starling.sdk;

import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** {@code host:port} addresses, one or several separated by commas. */
final class Servers {

  private Servers() {}

  static List<SocketAddress> addresses(String servers) {
    List<SocketAddress> addresses = new ArrayList<>();
    for (String server : servers.split(",")) {
      if (!server.isBlank()) {
        addresses.add(address(server.strip()));
      }
    }
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no server given, expected host:port");
    }
    return addresses;
  }

  static SocketAddress address(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("a server is host:port, got '" + hostAndPort + "'");
    }
    return SocketAddress.inetSocketAddress(Integer.parseInt(hostAndPort.substring(colon + 1)),
        hostAndPort.substring(0, colon));
  }
}
