package io.starling.scheduler;

import io.starling.proto.core.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The name of a slot's execution, a function of the launch plan's name (not its version, so two
 * versions can never both fire a slot) and the slot: the plan's name, lowercased and cut to 30
 * characters, the slot in UTC to the second, and 10 hex digits (40 bits) of a SHA-256 of
 * project, domain, name and the slot to the millisecond, which keep names apart that the first
 * parts do not: {@code nightly-etl-20261202t030000-3fa9c1e27b}. At most 57 characters of
 * [a-z0-9-].
 */
public final class ExecutionNames {

  private static final DateTimeFormatter SLOT =
      DateTimeFormatter.ofPattern("uuuuMMdd't'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ExecutionNames() {}

  public static String of(Identifier launchPlan, Instant slot) {
    String readable = launchPlan.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    if (readable.length() > 30) {
      readable = readable.substring(0, 30).replaceAll("-+$", "");
    }
    if (readable.isEmpty() || !Character.isLetter(readable.charAt(0))) {
      readable = "s" + readable;
    }
    String key = launchPlan.getProject() + "/" + launchPlan.getDomain() + "/"
        + launchPlan.getName() + "/" + slot.toEpochMilli();
    return readable + "-" + SLOT.format(slot) + "-" + hash(key);
  }

  private static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
