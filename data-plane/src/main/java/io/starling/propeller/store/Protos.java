package io.starling.propeller.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between stored columns and values: serialized messages and timestamps. */
final class Protos {

  private Protos() {}

  static <T> T parse(Parser<T> parser, Buffer bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return parser.parseFrom(bytes.getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt stored message: " + e.getMessage(), e);
    }
  }

  static Buffer bytes(MessageLite message) {
    return message == null ? null : Buffer.buffer(message.toByteArray());
  }

  static Buffer bytes(byte[] raw) {
    return raw == null ? null : Buffer.buffer(raw);
  }

  static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
