package io.starling.propeller.plugin;

import java.util.function.Consumer;

/**
 * Runs the tasks of one type. The propeller calls {@link #start} after the attempt's RUNNING
 * state is durable, from an event-loop or worker thread: it must not block. The plugin reports
 * the end of the attempt exactly once through {@code done}, from any thread; after
 * {@link #abort} it may report nothing.
 *
 * <p>What a plugin may see, and must stand:
 * <ul>
 *   <li>Within one process, {@code start} is called at most once per attempt (execution, node,
 *       subtask, attempt number): when the propeller drops and reloads an execution's state
 *       (a failed write, the database away) it keeps the attempts that still run and takes in
 *       their results when they come, even while the database is away.
 *   <li>Across processes, work is done at least once, never exactly once. When the replica that
 *       ran an attempt stops (a crash, a restart, a shard that moved) the attempt's result is
 *       lost with it. For a plugin that {@link #reattaches}, the next owner starts the same
 *       attempt again and the plugin must find the work it already started (a child execution
 *       named after the attempt, a pod, a worker's lease). For any other plugin, the attempt is
 *       recorded as lost and the next owner starts a new attempt number, so the task can tell
 *       it is a re-run; the work of the lost attempt may still finish (a process orphaned by a
 *       killed JVM), and its result is ignored.
 *   <li>{@code abort} may come for an attempt that has already ended, and {@code start} may be
 *       followed by {@code abort} at once.
 * </ul>
 */
public interface TaskPlugin extends AutoCloseable {

  /** The task type this plugin runs, e.g. {@code process}. */
  String type();

  void start(TaskAttempt attempt, Consumer<TaskResult> done);

  /** Stops the attempt if it is still running; a no-op otherwise. Must not block. */
  void abort(TaskAttempt attempt);

  /**
   * Whether an attempt's work outlives the process that started it and is found again by
   * starting the same attempt (see the class comment). False by default: work that lived in
   * the process (a thread, a timer, a child process) is lost with it.
   */
  default boolean reattaches() {
    return false;
  }

  /**
   * This replica no longer runs the attempt's execution (its shard stopped here): stop
   * following the attempt. A plugin that {@link #reattaches} leaves the work running for the
   * next owner to find; any other aborts it, since nobody will take its result. Must not block.
   */
  default void detach(TaskAttempt attempt) {
    abort(attempt);
  }

  /** Stops whatever the plugin runs and frees its resources; called when the propeller stops. */
  @Override
  default void close() {}
}
