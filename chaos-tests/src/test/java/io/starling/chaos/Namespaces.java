package io.starling.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace per replica, for cutting traffic between replicas while each still
 * reaches PostgreSQL: namespace {@code i} has address 10.250.i.2 on a veth pair whose other end,
 * 10.250.i.1, is on the host, where PostgreSQL listens; replicas reach each other through the
 * host, by their namespace's default route. Cutting a replica off deletes that route: the link
 * to its host end, and so to PostgreSQL, stays.
 */
final class Namespaces implements AutoCloseable {

  static final String NETWORK = "10.250.0.0/16";

  private final String tag = Long.toString(ProcessHandle.current().pid() % 100_000, 36);
  private final List<Integer> created = new ArrayList<>();

  /**
   * Creates {@code count} namespaces and turns on forwarding between them, after removing what a
   * run that was killed left behind (its addresses would shadow these).
   */
  Namespaces(int count) throws Exception {
    removeLeftovers();
    Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
    for (int i = 0; i < count; i++) {
      String host = hostSide(i);
      String inside = insideSide(i);
      ip("netns", "add", name(i));
      created.add(i);
      ip("link", "add", host, "type", "veth", "peer", "name", inside);
      ip("link", "set", inside, "netns", name(i));
      ip("addr", "add", hostAddress(i) + "/24", "dev", host);
      ip("link", "set", host, "up");
      inNamespace(i, "ip", "addr", "add", address(i) + "/24", "dev", inside);
      inNamespace(i, "ip", "link", "set", inside, "up");
      inNamespace(i, "ip", "link", "set", "lo", "up");
      heal(i);
    }
  }

  String name(int i) {
    return "st" + tag + "n" + i;
  }

  /** Where replica {@code i} is reached. */
  static String address(int i) {
    return "10.250." + i + ".2";
  }

  /** Where replica {@code i} reaches the host (and PostgreSQL). */
  static String hostAddress(int i) {
    return "10.250." + i + ".1";
  }

  /** The command prefix that runs a process in namespace {@code i}. */
  List<String> exec(int i) {
    return List.of("ip", "netns", "exec", name(i));
  }

  /** Replica {@code i} no longer reaches the other replicas; it still reaches the host. */
  void cut(int i) throws Exception {
    inNamespace(i, "ip", "route", "del", "default");
  }

  void heal(int i) throws Exception {
    inNamespace(i, "ip", "route", "replace", "default", "via", hostAddress(i));
  }

  @Override
  public void close() {
    try {
      for (int i : created) {
        run(List.of("ip", "netns", "del", name(i)), false);
        run(List.of("ip", "link", "del", hostSide(i)), false);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot remove the namespaces", e);
    }
  }

  private static void removeLeftovers() throws Exception {
    for (String line : output(List.of("ip", "netns", "list")).split("\n")) {
      String name = line.split(" ")[0];
      if (name.matches("st[a-z0-9]+n\\d+")) {
        run(List.of("ip", "netns", "del", name), false);
      }
    }
    for (String line : output(List.of("ip", "-o", "link")).split("\n")) {
      String[] fields = line.split(": ");
      if (fields.length > 1 && fields[1].matches("sh[a-z0-9]+\\d+(@.*)?")) {
        run(List.of("ip", "link", "del", fields[1].split("@")[0]), false);
      }
    }
  }

  private static String output(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return out;
  }

  private String hostSide(int i) {
    return "sh" + tag + i;
  }

  private String insideSide(int i) {
    return "si" + tag + i;
  }

  private void inNamespace(int i, String... command) throws Exception {
    List<String> full = new ArrayList<>(exec(i));
    full.addAll(List.of(command));
    run(full, true);
  }

  private static void ip(String... args) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip"));
    full.addAll(List.of(args));
    run(full, true);
  }

  private static void run(List<String> command, boolean check) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    }
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0 && check) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
    }
  }
}
