package io.starling.admin.store;

import io.starling.admin.AdminException;
import io.starling.admin.Unsigned;
import io.starling.proto.Quote;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** One page of a list call and the token of the next one (empty on the last page). */
public record Page<T>(List<T> items, String nextToken) {

  private static final String KEY_MARKER = "k:";

  /** Tokens are opaque to clients: the base64url of the last row id of the page. */
  public static String token(long lastRowId) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(ByteBuffer.allocate(8).putLong(lastRowId).array());
  }

  /** The row id a token stands for; 0 for the empty token (the first page). */
  public static long rowId(String token) {
    if (token.isEmpty()) {
      return 0;
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(token);
      if (bytes.length != 8) {
        throw new IllegalArgumentException("wrong length");
      }
      return ByteBuffer.wrap(bytes).getLong();
    } catch (IllegalArgumentException e) {
      throw notAToken(token);
    }
  }

  /** A token for pages ordered by a text key (a node id): the base64url of a marker and the key. */
  public static String keyToken(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((KEY_MARKER + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  /** The key a {@link #keyToken} stands for; "" for the empty token (the first page). */
  public static String key(String token) {
    if (token.isEmpty()) {
      return "";
    }
    try {
      String decoded = StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(token))).toString();
      if (decoded.startsWith(KEY_MARKER) && decoded.length() > KEY_MARKER.length()) {
        return decoded.substring(KEY_MARKER.length());
      }
    } catch (IllegalArgumentException | CharacterCodingException e) {
      // not a token of ours: refused below
    }
    throw notAToken(token);
  }

  /** Checks a requested page size; 0 means {@code defaultSize}. */
  public static int size(int requested, int defaultSize, int maxSize) {
    String problem = Unsigned.outOfRange(requested, 0, maxSize, "limit");
    if (problem != null) {
      throw AdminException.invalid(problem + " (admin.max-page-size)");
    }
    return requested == 0 ? defaultSize : requested;
  }

  private static AdminException notAToken(String token) {
    return AdminException.invalid("token " + Quote.of(token) + " is not a token from a previous page");
  }
}
