package io.starling.app.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Random;

/**
 * Mutations of valid protobuf requests, by field (through the descriptors: a field set to an
 * edge of its type, a string from a pool of awkward ones, a repeated field emptied or grown, a
 * nested message mutated in turn) and by byte (the encoding's bytes flipped, cut or repeated,
 * kept when they still parse). Deterministic for one seed.
 */
final class Mutator {

  private static final List<String> STRINGS = List.of("", " ", "a", "default", "development",
      "v1", "x".repeat(300), "名前", "a/b", "../..", "{{inputs.a}}", "{{", "}}", "{{n0.o0}}",
      "'; DROP TABLE executions; --", "\u0000", "\uFFFF", "-", "A", "n0", "o0", "a", "noop",
      "echo", "integer", "list<integer>", "* * * * *", "@hourly", "61 * * * *", "Europe/Berlin",
      "Not/AZone", "stk_000000000000_" + "a".repeat(43), "%s%n", "\n", "true", "-1");
  private static final long[] INTEGERS = {0, 1, -1, 2, 63, 64, 255, 256, 1000, 1001, 10_000,
      Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE};
  private static final double[] DOUBLES = {0, -0.0, 1.5, Double.NaN,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE};
  private static final int MAX_DEPTH = 6;

  private final Random random;

  Mutator(long seed) {
    this.random = new Random(seed);
  }

  /** {@code valid} with one to four mutations. */
  @SuppressWarnings("unchecked")
  <M extends Message> M mutate(M valid) {
    if (random.nextInt(5) == 0) {
      M bytes = (M) bytes(valid);
      if (bytes != null) {
        return bytes;
      }
    }
    Message mutated = valid;
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      mutated = field(mutated, 0);
    }
    return (M) mutated;
  }

  private Message bytes(Message valid) {
    byte[] encoded = valid.toByteArray();
    if (encoded.length == 0) {
      return null;
    }
    switch (random.nextInt(3)) {
      case 0 -> encoded[random.nextInt(encoded.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> encoded = java.util.Arrays.copyOf(encoded, random.nextInt(encoded.length));
      default -> {
        byte[] twice = new byte[encoded.length * 2];
        System.arraycopy(encoded, 0, twice, 0, encoded.length);
        System.arraycopy(encoded, 0, twice, encoded.length, encoded.length);
        encoded = twice;
      }
    }
    try {
      return valid.getParserForType().parseFrom(encoded);
    } catch (InvalidProtocolBufferException unparsable) {
      return null;
    }
  }

  private Message field(Message message, int depth) {
    List<FieldDescriptor> fields = message.getDescriptorForType().getFields();
    if (fields.isEmpty()) {
      return message;
    }
    FieldDescriptor field = fields.get(random.nextInt(fields.size()));
    Message.Builder builder = message.toBuilder();
    if (field.isRepeated()) {
      int count = builder.getRepeatedFieldCount(field);
      if (count > 0 && random.nextInt(3) == 0) {
        builder.clearField(field);
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
          && count > 0 && depth < MAX_DEPTH) {
        int index = random.nextInt(count);
        Message item = (Message) builder.getRepeatedField(field, index);
        if (random.nextBoolean()) {
          builder.addRepeatedField(field, item);
        } else {
          builder.setRepeatedField(field, index, field(item, depth + 1));
        }
      } else {
        builder.addRepeatedField(field, value(field, builder, depth));
      }
      return builder.build();
    }
    if (builder.hasField(field) && random.nextInt(4) == 0) {
      builder.clearField(field);
    } else {
      builder.setField(field, value(field, builder, depth));
    }
    return builder.build();
  }

  private Object value(FieldDescriptor field, Message.Builder parent, int depth) {
    return switch (field.getJavaType()) {
      case STRING -> STRINGS.get(random.nextInt(STRINGS.size()));
      case INT -> (int) INTEGERS[random.nextInt(INTEGERS.length)];
      case LONG -> INTEGERS[random.nextInt(INTEGERS.length)];
      case DOUBLE -> DOUBLES[random.nextInt(DOUBLES.length)];
      case FLOAT -> (float) DOUBLES[random.nextInt(DOUBLES.length)];
      case BOOLEAN -> random.nextBoolean();
      case BYTE_STRING -> {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        yield ByteString.copyFrom(bytes);
      }
      case ENUM -> {
        List<EnumValueDescriptor> values = field.getEnumType().getValues();
        yield values.get(random.nextInt(values.size()));
      }
      case MESSAGE -> {
        Message.Builder nested = field.isRepeated() ? parent.newBuilderForField(field)
            : ((Message) parent.getField(field)).toBuilder();
        Message current = nested.build();
        yield depth < MAX_DEPTH ? field(current, depth + 1) : current;
      }
    };
  }
}
