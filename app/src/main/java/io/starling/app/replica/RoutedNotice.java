package io.starling.app.replica;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * One admin notification on its way to the member that owns the execution's shard; it runs
 * there and hands itself to that member's {@link ExecutionRouter}, answering whether that
 * member's propeller took it.
 */
final class RoutedNotice implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

  private static final long serialVersionUID = 1L;

  enum Kind { CREATED, ABORT_REQUESTED }

  private final Kind kind;
  private final long executionId;
  private final int shard;
  private transient HazelcastInstance hazelcast;

  RoutedNotice(Kind kind, long executionId, int shard) {
    this.kind = kind;
    this.executionId = executionId;
    this.shard = shard;
  }

  Kind kind() {
    return kind;
  }

  long executionId() {
    return executionId;
  }

  int shard() {
    return shard;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.hazelcast = instance;
  }

  @Override
  public Boolean call() {
    Object router = hazelcast.getUserContext().get(ExecutionRouter.CONTEXT_KEY);
    return router instanceof ExecutionRouter local && local.deliver(this);
  }
}
