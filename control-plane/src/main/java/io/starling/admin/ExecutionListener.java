package io.starling.admin;

/**
 * Told after an execution row or an abort request is committed; the app routes it to the
 * propeller that owns the execution's shard. Must not block.
 */
public interface ExecutionListener {

  void executionCreated(long executionId, int shard);

  void abortRequested(long executionId, int shard);

  /** A listener that ignores everything: the propeller finds new executions by its scan. */
  ExecutionListener NONE = new ExecutionListener() {
    @Override
    public void executionCreated(long executionId, int shard) {}

    @Override
    public void abortRequested(long executionId, int shard) {}
  };
}
