package io.starling.app.replica;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * One notification on its way to the member that owns a shard (an execution created, a
 * termination requested: the admin's; an attempt of a worker task ended: a worker's report or an
 * expired lease); it runs there and hands itself to that member's {@link ExecutionRouter},
 * answering whether that member's propeller took it.
 */
final class RoutedNotice implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

  private static final long serialVersionUID = 1L;

  enum Kind { CREATED, ABORT_REQUESTED, ATTEMPT_ENDED }

  private final Kind kind;
  /** The execution; for ATTEMPT_ENDED, the attempt's row in worker_tasks. */
  private final long id;
  private final int shard;
  private transient HazelcastInstance hazelcast;

  RoutedNotice(Kind kind, long id, int shard) {
    this.kind = kind;
    this.id = id;
    this.shard = shard;
  }

  Kind kind() {
    return kind;
  }

  long id() {
    return id;
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
