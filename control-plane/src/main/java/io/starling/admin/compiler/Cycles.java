package io.starling.admin.compiler;

import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a cycle among a workflow's upstream edges and names it: its nodes in the order data
 * flows, and for each edge what makes it, e.g. {@code cycle: alpha -> beta -> alpha (beta.x <-
 * alpha.o0, alpha.y <- beta.o0)}.
 */
final class Cycles {

  private Cycles() {}

  /** Kahn's algorithm; what remains is on or behind a cycle, and one cycle is named. */
  static void find(Map<String, Set<String>> upstream, Map<String, Node> nodes, Problems problems) {
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
      List<String> loop = cycle(upstream, pending);
      List<String> edges = new ArrayList<>();
      for (int i = 0; i + 1 < loop.size(); i++) {
        edges.add(edge(nodes.get(loop.get(i + 1)), loop.get(i)));
      }
      problems.add("cycle: " + String.join(" -> ", loop) + " (" + String.join(", ", edges) + ")");
    }
  }

  /** What makes {@code node} wait for {@code upstream}: the first binding to it, else the list. */
  private static String edge(Node node, String upstream) {
    String binding = bindingTo(node, upstream, node.getId());
    return binding != null ? binding
        : node.getId() + " waits for " + upstream + " (upstream_node_ids)";
  }

  private static String bindingTo(Node node, String upstream, String where) {
    for (Binding binding : node.getInputsList()) {
      String var = outputOf(binding.getBinding(), upstream);
      if (var != null) {
        return where + "." + binding.getVar() + " <- " + upstream + "." + var;
      }
    }
    if (node.hasBranchNode()) {
      List<Node> cases = new ArrayList<>();
      node.getBranchNode().getCasesList().forEach(block -> cases.add(block.getThenNode()));
      if (node.getBranchNode().hasElseNode()) {
        cases.add(node.getBranchNode().getElseNode());
      }
      for (Node inner : cases) {
        String found = bindingTo(inner, upstream, where + " case " + inner.getId());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The output of {@code upstream} that {@code data} refers to, or null. */
  private static String outputOf(BindingData data, String upstream) {
    switch (data.getValueCase()) {
      case PROMISE:
        return data.getPromise().getNodeId().equals(upstream) ? data.getPromise().getVar() : null;
      case COLLECTION:
        for (BindingData item : data.getCollection().getBindingsList()) {
          String found = outputOf(item, upstream);
          if (found != null) {
            return found;
          }
        }
        return null;
      case MAP:
        for (BindingData item : data.getMap().getBindingsMap().values()) {
          String found = outputOf(item, upstream);
          if (found != null) {
            return found;
          }
        }
        return null;
      default:
        return null;
    }
  }

  /** The nodes of one cycle in the order data flows, the first repeated at the end. */
  private static List<String> cycle(Map<String, Set<String>> upstream, Map<String, Integer> pending) {
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
    return loop;
  }
}
