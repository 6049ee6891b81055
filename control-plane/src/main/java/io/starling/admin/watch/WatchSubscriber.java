package io.starling.admin.watch;

/**
 * One watch stream as the watches see it. Called on the Vert.x context that started the
 * watch, in order, never concurrently.
 */
public interface WatchSubscriber {

  /**
   * The snapshot first, then changes; the last update {@link WatchUpdate#isFinal is final}.
   * After the subscriber was {@link #backedUp backed up}, the changes it missed are replaced by
   * a new snapshot.
   */
  void update(WatchUpdate update);

  /** Whether its client has not taken what was sent yet, so that more would only pile up. */
  boolean backedUp();

  /** Runs {@code drained} once, on this subscriber's context, when it is no longer backed up. */
  void whenDrained(Runnable drained);

  /**
   * The watch ended: {@code failure} null after the final update, else why it stopped early
   * (the execution's row disappeared). Nothing follows.
   */
  void end(Throwable failure);
}
