package io.starling.admin.store;

import io.starling.admin.AdminException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

/** One page of a list call and the token of the next one (empty on the last page). */
public record Page<T>(List<T> items, String nextToken) {

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
      throw AdminException.invalid("token '" + token + "' is not a token from a previous page");
    }
  }

  /** Checks a requested page size; 0 means {@code defaultSize}. */
  public static int size(int requested, int defaultSize, int maxSize) {
    if (requested < 0 || requested > maxSize) {
      throw AdminException.invalid("limit must be between 1 and " + maxSize + ", got " + requested);
    }
    return requested == 0 ? defaultSize : requested;
  }
}
