package io.starling.propeller.graph;

import java.util.Set;

/**
 * How a map node runs its subtasks.
 *
 * @param concurrency most subtasks running at once; 0 = all at once
 * @param broadcast inputs passed whole to every subtask; the others are zipped lists
 * @param minSuccessRatio used when {@code minSuccesses} is negative
 * @param minSuccesses the fixed bound, or -1 to use the ratio
 */
public record MapSpec(
    int concurrency, Set<String> broadcast, double minSuccessRatio, int minSuccesses) {

  /** How many of {@code items} subtasks must succeed. */
  public int requiredSuccesses(int items) {
    if (minSuccesses >= 0) {
      return Math.min(minSuccesses, items);
    }
    // The epsilon keeps float noise (0.7f is 0.69999...) from demanding one more success.
    return (int) Math.min(items, Math.ceil(minSuccessRatio * items - 1e-6));
  }
}
