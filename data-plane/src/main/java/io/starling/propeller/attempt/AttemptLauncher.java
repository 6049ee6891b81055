package io.starling.propeller.attempt;

import io.starling.proto.core.CacheStatus;
import io.starling.propeller.cache.TaskCache;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.TaskResult;
import io.starling.propeller.round.AttemptsInFlight;
import io.starling.propeller.round.TaskEvent;
import io.starling.time.TimeSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts and aborts the attempts that committed rounds ask for, through their plugins (and the
 * task output cache), and keeps each execution's {@link LiveAttempts} true: an attempt is live
 * from its start until a committed round took in its end, or until it is aborted. An attempt's
 * end is reported only while it is live, so whatever an aborted attempt or one of an execution
 * that left this replica reports is ignored.
 */
public final class AttemptLauncher {

  private final TaskPlugins plugins;
  private final TaskCache cache;
  private final TimeSource time;
  private final Consumer<CacheStatus> cacheResults;

  /** @param cacheResults told where the outputs of each cached task's success came from */
  public AttemptLauncher(TaskPlugins plugins, TaskCache cache, TimeSource time,
      Consumer<CacheStatus> cacheResults) {
    this.plugins = plugins;
    this.cache = cache;
    this.time = time;
    this.cacheResults = cacheResults;
  }

  /** Starts {@code attempt} of node {@code node}; its end goes to {@code report}. */
  public void start(LiveAttempts live, int node, TaskAttempt attempt, Consumer<TaskEvent> report) {
    TaskPlugin plugin = plugins.forType(attempt.task().getType()).orElse(null);
    live.started(node, attempt, plugin, time.millis());
    Consumer<TaskResult> done = outcome -> {
      TaskEvent event = new TaskEvent(node, attempt.subtask(), attempt.attempt(), outcome);
      if (!live.accepts(event)) {
        return;
      }
      if (outcome instanceof TaskResult.Succeeded success
          && success.cacheStatus() != CacheStatus.CACHE_DISABLED) {
        cacheResults.accept(success.cacheStatus());
      }
      report.accept(event);
    };
    if (plugin == null) {
      done.accept(TaskResult.userError("UnknownTaskType",
          "no plugin runs tasks of type '" + attempt.task().getType() + "'"));
    } else if (TaskCache.caches(attempt)) {
      cache.run(attempt, callback -> run(plugin, attempt, callback), done);
    } else {
      run(plugin, attempt, done);
    }
  }

  /** Aborts {@code attempt} of node {@code node}; whatever it reports later is ignored. */
  public void abort(LiveAttempts live, int node, TaskAttempt attempt) {
    live.remove(node, attempt);
    plugins.forType(attempt.task().getType()).ifPresent(plugin -> plugin.abort(attempt));
  }

  /** What a reload of an execution needs to know of its attempts that run in this process. */
  public AttemptsInFlight inFlight(LiveAttempts live) {
    return new AttemptsInFlight() {
      @Override
      public long runningSince(int node, int subtask, int attempt) {
        return live.runningSince(node, subtask, attempt);
      }

      @Override
      public boolean reattaches(String taskType) {
        return plugins.reattaches(taskType);
      }
    };
  }

  /** Lets go of the attempts of an execution that left this replica (see TaskPlugin#detach). */
  public void detachAll(List<LiveAttempts.Live> left) {
    for (LiveAttempts.Live attempt : left) {
      if (attempt.plugin() != null) {
        attempt.plugin().detach(attempt.attempt());
      }
    }
  }

  private static void run(TaskPlugin plugin, TaskAttempt attempt, Consumer<TaskResult> done) {
    try {
      plugin.start(attempt, done);
    } catch (RuntimeException e) {
      done.accept(TaskResult.systemError("PluginError", plugin.type() + ": " + e.getMessage()));
    }
  }
}
