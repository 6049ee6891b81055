package io.starling.proto;

import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcHeaderNames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code grpc-message} header as the gRPC HTTP/2 protocol spells it: UTF-8, with only
 * {@code %} and the bytes outside printable ASCII (0x20-0x7E) percent-encoded. Vert.x gRPC
 * form-encodes it instead (every {@code / : , ; @} and space escaped, {@code +} as
 * {@code %2B}) and decodes it as a form ({@code +} read as a space), so a client of another
 * stack would show {@code acc%2Fdev%2Fx}; the server and the project's clients use these two
 * functions instead.
 */
public final class GrpcMessage {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcMessage() {}

  public static String encode(String message) {
    StringBuilder out = new StringBuilder(message.length() + 8);
    for (byte raw : message.getBytes(StandardCharsets.UTF_8)) {
      int b = raw & 0xFF;
      if (b >= 0x20 && b <= 0x7E && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
      }
    }
    return out.toString();
  }

  /**
   * The status message of a finished call as the server sent it: from the headers of a
   * trailers-only response, else from the trailers (Vert.x's {@code statusMessage()} reads only
   * the headers, and decodes {@code +} as a space). Null when there is none.
   */
  public static String of(GrpcClientResponse<?, ?> response) {
    String raw = response.headers().get(GrpcHeaderNames.GRPC_MESSAGE);
    if (raw == null && response.trailers() != null) {
      raw = response.trailers().get(GrpcHeaderNames.GRPC_MESSAGE);
    }
    return decode(raw);
  }

  /** Decodes {@code %XX} escapes only; a malformed escape is kept as it is. Null stays null. */
  public static String decode(String header) {
    if (header == null || header.indexOf('%') < 0) {
      return header;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(header.length());
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      int high = i + 2 < header.length() ? Character.digit(header.charAt(i + 1), 16) : -1;
      int low = i + 2 < header.length() ? Character.digit(header.charAt(i + 2), 16) : -1;
      if (c == '%' && high >= 0 && low >= 0) {
        out.write((high << 4) | low);
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
