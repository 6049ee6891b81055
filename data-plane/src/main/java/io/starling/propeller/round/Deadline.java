package io.starling.propeller.round;

/**
 * A point in time at which a round must look at a node (or one subtask of a map node, when
 * {@code subtask} is not -1): an attempt's timeout or its retry.
 */
record Deadline(long atMillis, int node, int subtask, int attempt, Kind kind)
    implements Comparable<Deadline> {

  enum Kind {
    TIMEOUT,
    RETRY
  }

  @Override
  public int compareTo(Deadline other) {
    return Long.compare(atMillis, other.atMillis);
  }
}
