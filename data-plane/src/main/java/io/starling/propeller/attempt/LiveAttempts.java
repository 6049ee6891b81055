package io.starling.propeller.attempt;

import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.round.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts of one execution that this process started and whose end is not yet committed:
 * running, or ended with a result that no committed round has taken in yet. It belongs to the
 * execution's slot, not to its state, so it survives the state being dropped and reloaded after
 * a failed write: the reload asks it which RUNNING attempts still run here and leaves those
 * running instead of starting them a second time, and their results, kept until committed, are
 * taken in by the next round.
 *
 * <p>Thread-safe: attempts start on the thread that applies a round, end on whatever thread
 * their plugin reports from.
 */
public final class LiveAttempts {

  private record Key(int node, int subtask, int attempt) {}

  /** One attempt that runs, or ran, in this process. */
  public record Live(TaskAttempt attempt, TaskPlugin plugin, long startedAtMillis) {}

  private final Map<Key, Live> live = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Records that {@code attempt} of node {@code node} starts now, through {@code plugin}. */
  public void started(int node, TaskAttempt attempt, TaskPlugin plugin, long nowMillis) {
    live.put(key(node, attempt), new Live(attempt, plugin, nowMillis));
  }

  /**
   * Whether the end of {@code event}'s attempt may be reported to its execution: it was started
   * here and neither aborted nor dropped since.
   */
  public boolean accepts(TaskEvent event) {
    return !closed && live.containsKey(new Key(event.node(), event.subtask(), event.attempt()));
  }

  /** The round that took these events in committed (or changed nothing): they are settled. */
  public void settled(List<TaskEvent> events) {
    for (TaskEvent event : events) {
      live.remove(new Key(event.node(), event.subtask(), event.attempt()));
    }
  }

  /** The attempt is being aborted: it is no longer live, and whatever it reports is ignored. */
  public Live remove(int node, TaskAttempt attempt) {
    return live.remove(key(node, attempt));
  }

  /** When the attempt started in this process, or -1 when it is not live here. */
  public long runningSince(int node, int subtask, int attempt) {
    Live entry = live.get(new Key(node, subtask, attempt));
    return entry == null ? -1 : entry.startedAtMillis();
  }

  /**
   * The execution leaves this process (its shard stopped, or it ended): returns the attempts
   * still live, to abort, and ignores whatever any attempt reports from now on.
   */
  public List<Live> close() {
    closed = true;
    List<Live> left = new ArrayList<>(live.values());
    live.clear();
    return left;
  }

  public int size() {
    return live.size();
  }

  private static Key key(int node, TaskAttempt attempt) {
    return new Key(node, attempt.subtask(), attempt.attempt());
  }
}
