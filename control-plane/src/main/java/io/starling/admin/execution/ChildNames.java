package io.starling.admin.execution;

import io.starling.proto.core.ExecutionIdentifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a launch-plan node's child execution: {@code c} and 19 hex digits of a SHA-256 of
 * the parent's id, the node and the attempt, so that starting the same attempt twice finds the
 * child it already has.
 */
final class ChildNames {

  private ChildNames() {}

  static String of(ExecutionIdentifier parent, String nodeId, int attempt) {
    String key = parent.getProject() + "/" + parent.getDomain() + "/" + parent.getName() + "/"
        + nodeId + "/" + attempt;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8));
      return "c" + HexFormat.of().formatHex(hash).substring(0, 19);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
