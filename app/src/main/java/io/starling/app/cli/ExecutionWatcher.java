package io.starling.app.cli;

import io.starling.proto.Phases;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.NodeExecutionList;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.admin.SubtaskCounts;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.NodeExecution;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an execution's progress until it reaches a terminal phase: nodes finished of all nodes,
 * where a map node that started counts as its subtasks.
 */
final class ExecutionWatcher {

  static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private ExecutionWatcher() {}

  static Execution watch(AdminClient client, ExecutionIdentifier id, PrintStream out) {
    Execution execution = get(client, id);
    int total = client.call(AdminServiceGrpcClient.GetWorkflow, ObjectGetRequest.newBuilder()
        .setId(execution.getSpec().getWorkflow()).build()).getClosure().getTemplate().getNodesCount();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "watch");
      thread.setDaemon(true);
      return thread;
    });
    CompletableFuture<Execution> finished = new CompletableFuture<>();
    try (ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(id.getName())
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
        .setUpdateIntervalMillis(100)
        .build()) {
      poller.scheduleWithFixedDelay(() -> {
        try {
          Execution current = get(client, id);
          long[] progress = progress(client, id, total);
          bar.maxHint(progress[1]);
          bar.stepTo(progress[0]);
          bar.setExtraMessage(current.getClosure().getPhase().name());
          if (Phases.isTerminal(current.getClosure().getPhase())) {
            finished.complete(current);
          }
        } catch (RuntimeException e) {
          finished.completeExceptionally(e);
        }
      }, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      return finished.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while watching " + Format.id(id));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException(e.getCause());
    } finally {
      poller.shutdownNow();
    }
  }

  static Execution get(AdminClient client, ExecutionIdentifier id) {
    return client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build());
  }

  /** {finished, total}: a map node counts as its subtasks once they are known. */
  private static long[] progress(AdminClient client, ExecutionIdentifier id, int nodes) {
    long finished = 0;
    long total = nodes;
    String token = "";
    do {
      NodeExecutionList page = client.call(AdminServiceGrpcClient.ListNodeExecutions,
          NodeExecutionListRequest.newBuilder().setExecutionId(id).setLimit(1000).setToken(token)
              .build());
      for (NodeExecutionRecord node : page.getNodeExecutionsList()) {
        NodeExecution.Phase phase = node.getPhase();
        boolean ended = phase != NodeExecution.Phase.RUNNING && phase != NodeExecution.Phase.QUEUED
            && phase != NodeExecution.Phase.RETRYABLE_FAILURE;
        if (node.hasSubtasks()) {
          SubtaskCounts subtasks = node.getSubtasks();
          total += subtasks.getTotal() - 1;
          finished += ended ? subtasks.getTotal()
              : subtasks.getSucceeded() + subtasks.getFailed() + subtasks.getAborted();
        } else if (ended) {
          finished++;
        }
      }
      token = page.getNextToken();
    } while (!token.isEmpty());
    return new long[] {finished, total};
  }
}
