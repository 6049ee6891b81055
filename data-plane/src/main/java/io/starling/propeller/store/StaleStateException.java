package io.starling.propeller.store;

/**
 * A round's write was refused because the execution's row version moved on: another writer
 * changed it since this replica read it. The round's state must be dropped; nothing of it was
 * written.
 */
public final class StaleStateException extends RuntimeException {

  public StaleStateException(String message) {
    super(message, null, false, false);
  }
}
