package io.starling.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.starling.proto.LiteralJson;
import io.starling.proto.core.LiteralMap;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json|yaml} of the commands that show things. JSON and YAML are what scripts
 * rely on: messages in the proto3 JSON mapping of the API (field names as in the .proto files),
 * values (inputs, outputs) in the JSON form of the spec files, whole, never shortened.
 */
final class OutputOption {

  enum Kind { table, json, yaml }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final JsonFormat.Printer PROTO = JsonFormat.printer()
      .preservingProtoFieldNames().omittingInsignificantWhitespace();

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table, json or yaml (default: ${DEFAULT-VALUE})")
  Kind kind = Kind.table;

  boolean table() {
    return kind == Kind.table;
  }

  /** An empty document to fill with {@link #message} and {@link #values}. */
  static ObjectNode document() {
    return JSON.createObjectNode();
  }

  static JsonNode message(MessageOrBuilder message) {
    try {
      return JSON.readTree(PROTO.print(message));
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  static JsonNode values(LiteralMap values) {
    try {
      return JSON.readTree(LiteralJson.encode(values).encode());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print values", e);
    }
  }

  void print(MessageOrBuilder message, PrintStream out) {
    print(message(message), out);
  }

  void print(JsonNode document, PrintStream out) {
    try {
      out.println(kind == Kind.yaml ? YAML.writeValueAsString(document).stripTrailing()
          : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
