package io.starling.admin.watch;

import io.starling.proto.Phases;
import java.util.List;

/**
 * What a subscriber receives at once: the snapshot (nodes that have rows, then the execution)
 * or the changes one poll found (nodes, then the execution if its phase changed), with the
 * progress after them.
 */
public record WatchUpdate(boolean snapshot, List<WatchEvent> events, WatchProgress progress) {

  /** Whether the last event reports a terminal execution phase: nothing follows. */
  public boolean isFinal() {
    return !events.isEmpty() && events.get(events.size() - 1)
        instanceof WatchEvent.ExecutionChanged execution
        && Phases.isTerminal(execution.phase());
  }
}
