package io.starling.propeller.store;

/**
 * A round's write was refused because its state is stale: the execution's row version moved
 * on, or this replica no longer holds the lease of the execution's shard. The round's state
 * must be dropped; nothing of it was written.
 */
public final class StaleStateException extends RuntimeException {

  StaleStateException(String message) {
    super(message, null, false, false);
  }
}
