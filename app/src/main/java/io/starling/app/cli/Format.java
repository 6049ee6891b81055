package io.starling.app.cli;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.starling.proto.LiteralJson;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralMap;

/** How the command line prints ids, times and values. */
final class Format {

  private Format() {}

  static String id(ExecutionIdentifier id) {
    return id.getProject() + "/" + id.getDomain() + "/" + id.getName();
  }

  static String id(Identifier id) {
    return id.getProject() + "/" + id.getDomain() + "/" + id.getName() + "@" + id.getVersion();
  }

  static String time(Timestamp timestamp) {
    return timestamp.getSeconds() == 0 ? "-" : Timestamps.toString(timestamp);
  }

  static String duration(com.google.protobuf.Duration duration) {
    return Durations.toString(duration);
  }

  /** Values as JSON, long ones shortened in the middle. */
  static String values(LiteralMap values, int maxChars) {
    String json = LiteralJson.encode(values).encode();
    return json.length() <= maxChars ? json
        : json.substring(0, maxChars / 2) + " ... " + json.substring(json.length() - maxChars / 2)
            + " (" + json.length() + " chars)";
  }
}
