package io.starling.admin.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;

/**
 * A served method whose JSON responses (gRPC-Web with {@code +json}, as the console calls) are
 * printed without the indentation Vert.x gRPC 5.0.7 gives them: indented, half of a large
 * message is whitespace (a 10,000-node workflow is 9 MB, 4.6 MB of it spaces and newlines).
 * Binary responses are encoded as the method's own encoder does.
 */
final class CompactJson {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private CompactJson() {}

  static <Req, Resp> ServiceMethod<Req, Resp> of(ServiceMethod<Req, Resp> method) {
    GrpcMessageEncoder<Resp> own = method.encoder();
    GrpcMessageEncoder<Resp> encoder = new GrpcMessageEncoder<>() {
      @Override
      public GrpcMessage encode(Resp message, WireFormat format) throws CodecException {
        if (format != WireFormat.JSON || !(message instanceof MessageOrBuilder proto)) {
          return own.encode(message, format);
        }
        try {
          return GrpcMessage.message("identity", WireFormat.JSON,
              Buffer.buffer(PRINTER.print(proto)));
        } catch (InvalidProtocolBufferException e) {
          throw new CodecException(e);
        }
      }

      @Override
      public boolean accepts(WireFormat format) {
        return own.accepts(format);
      }
    };
    return ServiceMethod.server(method.serviceName(), method.methodName(), encoder,
        method.decoder());
  }
}
