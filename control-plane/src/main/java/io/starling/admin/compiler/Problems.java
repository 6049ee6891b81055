package io.starling.admin.compiler;

import java.util.ArrayList;
import java.util.List;

/** What is wrong with a workflow, in the order found; the first ten are kept. */
final class Problems {

  private static final int MAX = 10;

  private final List<String> problems = new ArrayList<>();

  void add(String problem) {
    if (problems.size() < MAX) {
      problems.add(problem);
    }
  }

  /** Adds what a check found wrong; a check that found nothing gives null. */
  void addIfAny(String problem) {
    if (problem != null) {
      add(problem);
    }
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  String joined() {
    return String.join("; ", problems);
  }
}
