package io.starling.app.replica;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What runs the shards of the member's partitions: the propeller (executions) and the scheduler
 * (schedules), each with its own leases, both told the same by the {@link PartitionWatcher}.
 */
interface ShardRunner {

  /** The member owns {@code shards} now (all of them; idempotent). */
  Future<Void> assign(Collection<Integer> shards);

  /** The member owns {@code shards} no more. */
  void unassign(Collection<Integer> shards);

  /** A runner of these two calls. */
  static ShardRunner of(Function<Collection<Integer>, Future<Void>> assign,
      Consumer<Collection<Integer>> unassign) {
    return new ShardRunner() {
      @Override
      public Future<Void> assign(Collection<Integer> shards) {
        return assign.apply(shards);
      }

      @Override
      public void unassign(Collection<Integer> shards) {
        unassign.accept(shards);
      }
    };
  }
}
