package io.starling.propeller.round;

/** A point in time at which a round must look at a node: an attempt's timeout or its retry. */
record Deadline(long atMillis, int node, int attempt, Kind kind) implements Comparable<Deadline> {

  enum Kind {
    TIMEOUT,
    RETRY
  }

  @Override
  public int compareTo(Deadline other) {
    return Long.compare(atMillis, other.atMillis);
  }
}
