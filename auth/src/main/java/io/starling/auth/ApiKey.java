package io.starling.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an API key, {@code stk_<id>_<secret>}: the id (12 hex digits) finds the key's
 * row, the secret (32 random bytes, base64url) proves it. Only {@link #hash} of the secret with
 * the row's salt is ever stored.
 */
public record ApiKey(String keyId, String secret) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TEXT = Pattern.compile("stk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

  /** A new key of random id and secret. */
  public static ApiKey generate() {
    byte[] id = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return new ApiKey(HexFormat.of().formatHex(id),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The key {@code text} spells, if it is the text of a key at all. */
  public static Optional<ApiKey> parse(String text) {
    Matcher matcher = TEXT.matcher(text == null ? "" : text.strip());
    return matcher.matches() ? Optional.of(new ApiKey(matcher.group(1), matcher.group(2)))
        : Optional.empty();
  }

  /** The key as a client sends it. */
  public String text() {
    return "stk_" + keyId + "_" + secret;
  }

  static byte[] salt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return salt;
  }

  /** SHA-256 of the salt and the secret: the secret is 256 random bits, no slow hash needed. */
  static byte[] hash(byte[] salt, String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(salt);
      return digest.digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Never the secret: keys end up in exception messages and logs by accident. */
  @Override
  public String toString() {
    return "ApiKey[" + keyId + "]";
  }
}
