package io.starling.admin.compiler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds a cycle among a workflow's upstream edges and names it. */
final class Cycles {

  private Cycles() {}

  /** Kahn's algorithm; what remains is on or behind a cycle, and one cycle is named. */
  static void find(Map<String, Set<String>> upstream, Problems problems) {
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> downstream = new HashMap<>();
    upstream.forEach((node, ups) -> {
      pending.put(node, ups.size());
      ups.forEach(up -> downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(node));
    });
    Deque<String> ready = new ArrayDeque<>();
    pending.forEach((node, count) -> {
      if (count == 0) {
        ready.add(node);
      }
    });
    int visited = 0;
    while (!ready.isEmpty()) {
      String node = ready.poll();
      visited++;
      for (String next : downstream.getOrDefault(node, List.of())) {
        if (pending.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    if (visited < upstream.size()) {
      problems.add("cycle: " + cycle(upstream, pending));
    }
  }

  private static String cycle(Map<String, Set<String>> upstream, Map<String, Integer> pending) {
    String start = pending.entrySet().stream().filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    List<String> path = new ArrayList<>();
    String current = start;
    while (!path.contains(current)) {
      path.add(current);
      String from = current;
      current = upstream.get(from).stream().filter(up -> pending.get(up) > 0).findFirst().orElseThrow();
    }
    List<String> loop = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
    Collections.reverse(loop);
    loop.add(loop.get(0));
    return String.join(" -> ", loop);
  }
}
