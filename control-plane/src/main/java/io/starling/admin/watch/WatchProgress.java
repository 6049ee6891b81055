package io.starling.admin.watch;

/**
 * Counts for a progress bar. {@code nodes}: nodes of the workflow; {@code tasks}: the same with
 * each map node that started counted as its subtasks. Ended: a terminal node phase, or for a
 * subtask of a running map SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
 */
public record WatchProgress(int nodes, int nodesEnded, long tasks, long tasksEnded) {}
