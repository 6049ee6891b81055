package io.starling.propeller.round;

/**
 * What a reload needs to know of the attempts its rows show RUNNING, so that none runs twice in
 * one process and none is forgotten: whether the attempt still runs in this process (its state
 * was dropped after a failed write, its task was not), and otherwise whether its work outlives
 * the process that started it.
 */
public interface AttemptsInFlight {

  /**
   * When this attempt started in this process (epoch milliseconds), or -1 when it does not run
   * here. {@code subtask} is -1 for a task node.
   */
  long runningSince(int node, int subtask, int attempt);

  /**
   * Whether attempts of tasks of this type keep running outside the process that started them
   * (a child execution, a pod, a worker's lease) and are found again by starting the same
   * attempt; otherwise an attempt that does not run here is lost.
   */
  boolean reattaches(String taskType);

  /** Nothing runs in this process, and nothing reattaches: a fresh start after a crash. */
  AttemptsInFlight NONE = new AttemptsInFlight() {
    @Override
    public long runningSince(int node, int subtask, int attempt) {
      return -1;
    }

    @Override
    public boolean reattaches(String taskType) {
      return false;
    }
  };
}
