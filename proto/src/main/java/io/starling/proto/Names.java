package io.starling.proto;

import java.util.regex.Pattern;

/**
 * The shapes of the names the contract carries, one rule for every part that checks them: the
 * admin at registration and the worker protocol at a worker's hello must agree, or a task could
 * be registered on a queue no worker may serve.
 */
public final class Names {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
  private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_.@:-]{1,255}");

  private Names() {}

  /** A project, domain, task, workflow or launch plan name: 1-255 characters of [A-Za-z0-9_.-]. */
  public static boolean isName(String value) {
    return NAME.matcher(value).matches();
  }

  /** A worker task's queue: 1-255 characters of [A-Za-z0-9_.@:-]. */
  public static boolean isQueue(String value) {
    return QUEUE.matcher(value).matches();
  }
}
