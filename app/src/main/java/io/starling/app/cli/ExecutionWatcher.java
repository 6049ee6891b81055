package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionEvent;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.core.ExecutionIdentifier;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an execution's progress until it reaches a terminal phase, from the server's
 * WatchExecution stream: tasks ended of all tasks, where a map node that started counts as its
 * subtasks, and the execution's phase.
 */
final class ExecutionWatcher {

  private ExecutionWatcher() {}

  /** Returns the execution once it has ended. */
  static Execution watch(AdminClient client, ExecutionIdentifier id, PrintStream out) {
    AtomicReference<ProgressBar> bar = new AtomicReference<>();
    try {
      client.watch(id, event -> {
        if (bar.get() == null) {
          bar.set(new ProgressBarBuilder()
              .setTaskName(id.getName())
              .setInitialMax(event.getProgress().getTasks())
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .setUpdateIntervalMillis(100)
              .build());
        }
        show(bar.get(), event);
      });
    } finally {
      if (bar.get() != null) {
        bar.get().close();
      }
    }
    return get(client, id);
  }

  private static void show(ProgressBar bar, ExecutionEvent event) {
    bar.maxHint(event.getProgress().getTasks());
    bar.stepTo(event.getProgress().getTasksEnded());
    if (event.hasExecution()) {
      bar.setExtraMessage(event.getExecution().getPhase().name());
    }
  }

  static Execution get(AdminClient client, ExecutionIdentifier id) {
    return client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build());
  }
}
