package io.starling.scheduler;

import io.starling.proto.core.Identifier;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * Creates the execution of one slot; the app gives the scheduler the admin's. Must not block:
 * the scheduler calls it from its timers and completions.
 */
public interface Launcher {

  /** What became of a slot. */
  enum Outcome {
    /** The execution was created. */
    CREATED,
    /** An execution of that name exists: the slot fired before (here or on another replica). */
    EXISTED,
    /** The launch plan version is no longer active: its schedule stops. */
    INACTIVE
  }

  /**
   * Creates the execution named {@code name} of {@code launchPlan} for {@code slot}. Fails with
   * {@link Refused} when the launch plan cannot make it (retrying would not help); any other
   * failure (the database away) is retried with the same name.
   */
  Future<Outcome> launch(Identifier launchPlan, String name, Instant slot);

  /**
   * The launch plan cannot make the execution (its inputs, its project no longer served): its
   * schedule stops until the version is activated again or its shard reloaded.
   */
  final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }
}
