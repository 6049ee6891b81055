package io.starling.admin.watch;

/**
 * One watch stream as the watches see it. Called on the Vert.x context that started the
 * watch, in order, never concurrently.
 */
public interface WatchSubscriber {

  /** The snapshot first, then changes; the last update {@link WatchUpdate#isFinal is final}. */
  void update(WatchUpdate update);

  /**
   * The watch ended: {@code failure} null after the final update, else why it stopped early
   * (the execution's row disappeared). Nothing follows.
   */
  void end(Throwable failure);
}
