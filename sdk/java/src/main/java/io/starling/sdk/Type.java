package io.starling.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.SimpleType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Java type as a Starling literal type: how a value of it becomes a {@link Literal} and back.
 * {@code Type.list(Type.STRING)} is {@code list<string>}, {@code Type.map(Type.FLOAT)}
 * {@code map<string, float>}; integers are {@code Long}, datetimes {@code Instant}, durations
 * {@code java.time.Duration}, binaries {@code byte[]}, records structs ({@link #record}).
 */
public final class Type<T> {

  public static final Type<Long> INTEGER = simple(SimpleType.INTEGER,
      value -> Literal.newBuilder().setInteger(value).build(), Literal::getInteger);
  public static final Type<Double> FLOAT = simple(SimpleType.FLOAT,
      value -> Literal.newBuilder().setFloatValue(value).build(),
      literal -> literal.hasInteger() ? (double) literal.getInteger() : literal.getFloatValue());
  public static final Type<String> STRING = simple(SimpleType.STRING,
      value -> Literal.newBuilder().setStringValue(value).build(), Literal::getStringValue);
  public static final Type<Boolean> BOOLEAN = simple(SimpleType.BOOLEAN,
      value -> Literal.newBuilder().setBoolean(value).build(), Literal::getBoolean);
  public static final Type<Instant> DATETIME = simple(SimpleType.DATETIME,
      value -> Literal.newBuilder().setDatetime(Timestamp.newBuilder()
          .setSeconds(value.getEpochSecond()).setNanos(value.getNano())).build(),
      literal -> Instant.ofEpochSecond(literal.getDatetime().getSeconds(),
          literal.getDatetime().getNanos()));
  public static final Type<java.time.Duration> DURATION = simple(SimpleType.DURATION,
      value -> Literal.newBuilder().setDuration(com.google.protobuf.Duration.newBuilder()
          .setSeconds(value.getSeconds()).setNanos(value.getNano())).build(),
      literal -> java.time.Duration.ofSeconds(literal.getDuration().getSeconds(),
          literal.getDuration().getNanos()));
  public static final Type<byte[]> BINARY = simple(SimpleType.BINARY,
      value -> Literal.newBuilder().setBinary(ByteString.copyFrom(value)).build(),
      literal -> literal.getBinary().toByteArray());

  private final LiteralType literalType;
  private final Function<T, Literal> encode;
  private final Function<Literal, T> decode;

  private Type(LiteralType literalType, Function<T, Literal> encode,
      Function<Literal, T> decode) {
    this.literalType = literalType;
    this.encode = encode;
    this.decode = decode;
  }

  private static <T> Type<T> simple(SimpleType simple, Function<T, Literal> encode,
      Function<Literal, T> decode) {
    return new Type<>(LiteralType.newBuilder().setSimple(simple).build(), encode, decode);
  }

  /** Lists of {@code item}. */
  public static <T> Type<List<T>> list(Type<T> item) {
    return new Type<>(LiteralType.newBuilder().setCollectionType(item.literalType).build(),
        values -> {
          LiteralCollection.Builder collection = LiteralCollection.newBuilder();
          values.forEach(value -> collection.addLiterals(item.literal(value)));
          return Literal.newBuilder().setCollection(collection).build();
        },
        literal -> {
          List<T> values = new ArrayList<>(literal.getCollection().getLiteralsCount());
          literal.getCollection().getLiteralsList().forEach(l -> values.add(item.value(l)));
          return values;
        });
  }

  /** Maps of string keys to {@code value}. */
  public static <T> Type<Map<String, T>> map(Type<T> value) {
    return new Type<>(LiteralType.newBuilder().setMapValueType(value.literalType).build(),
        values -> {
          LiteralMap.Builder map = LiteralMap.newBuilder();
          values.forEach((key, item) -> map.putLiterals(key, value.literal(item)));
          return Literal.newBuilder().setMap(map).build();
        },
        literal -> {
          Map<String, T> values = new LinkedHashMap<>();
          literal.getMap().getLiteralsMap().forEach((key, l) -> values.put(key, value.value(l)));
          return values;
        });
  }

  /**
   * Records of {@code type} as structs, field by component name (as the Python SDK writes
   * dataclasses); its components must be JSON values: numbers, strings, booleans, records,
   * lists and string-keyed maps of those.
   */
  public static <R extends Record> Type<R> record(Class<R> type) {
    RecordStructs.check(type, type.getSimpleName());
    return new Type<>(LiteralType.newBuilder().setSimple(SimpleType.STRUCT).build(),
        value -> Literal.newBuilder().setStruct(RecordStructs.struct(value)).build(),
        literal -> RecordStructs.record(type, literal.getStruct()));
  }

  /** This type read as {@code U}: the same literal type, values converted both ways. */
  <U> Type<U> as(Function<T, U> read, Function<U, T> write) {
    return new Type<>(literalType, value -> encode.apply(write.apply(value)),
        literal -> read.apply(decode.apply(literal)));
  }

  public LiteralType literalType() {
    return literalType;
  }

  /** The literal of {@code value}; a null is {@code none}. */
  public Literal literal(T value) {
    return value == null ? Literal.newBuilder().setNone(
        io.starling.proto.core.NoneValue.getDefaultInstance()).build() : encode.apply(value);
  }

  /** The value of {@code literal}; {@code none} is null. */
  public T value(Literal literal) {
    return literal.hasNone() ? null : decode.apply(literal);
  }

  /** {@code value} as this type, or a ClassCastException naming {@code where}. */
  @SuppressWarnings("unchecked")
  Literal literalOf(Object value, String where) {
    try {
      return literal((T) value);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(where + ": " + value + " is not of type "
          + io.starling.proto.LiteralTypes.describe(literalType));
    }
  }
}
