package io.starling.propeller.plugin;

import java.util.function.Consumer;

/**
 * Runs the tasks of one type. The propeller calls {@link #start} after the attempt's RUNNING
 * state is durable, from an event-loop or worker thread: it must not block. The plugin reports
 * the end of the attempt exactly once through {@code done}, from any thread; after
 * {@link #abort} it may report nothing.
 *
 * <p>Idempotency: the same attempt may be started again after a restart of the propeller (its
 * RUNNING state was durable, its result was not). In-JVM plugins simply run it again; plugins
 * whose work outlives the propeller must find the attempt they already started.
 */
public interface TaskPlugin {

  /** The task type this plugin runs, e.g. {@code process}. */
  String type();

  void start(TaskAttempt attempt, Consumer<TaskResult> done);

  /** Stops the attempt if it is still running; a no-op otherwise. Must not block. */
  void abort(TaskAttempt attempt);
}
