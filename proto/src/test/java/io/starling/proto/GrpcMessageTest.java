package io.starling.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcMessageTest {

  @Test
  void onlyPercentAndBytesOutsidePrintableAsciiAreEncoded() {
    assertThat(GrpcMessage.encode("execution acc/dev/x not found: a+b, 100% ; @ é\n"))
        .isEqualTo("execution acc/dev/x not found: a+b, 100%25 ; @ %C3%A9%0A");
  }

  @Test
  void decodingUndoesEncodingAndKeepsPlusAndMalformedEscapes() {
    String message = "spec.metadata.retries.retries differs; 1.0+build ~ 50% é";
    assertThat(GrpcMessage.decode(GrpcMessage.encode(message))).isEqualTo(message);
    assertThat(GrpcMessage.decode("100% sure %zz %4")).isEqualTo("100% sure %zz %4");
    assertThat(GrpcMessage.decode(null)).isNull();
  }
}
