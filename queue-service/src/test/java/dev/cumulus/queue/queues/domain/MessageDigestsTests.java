package dev.cumulus.queue.queues.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageDigestsTests {

  @Test
  void bodyDigestIsMd5OfUtf8() {
    assertThat(MessageDigests.md5Hex("Hello World! This is a test message."))
        .isEqualTo(md5("Hello World! This is a test message.".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void attributeDigestEncodesSortedLengthPrefixedFields() {
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    attributes.put("source", new MessageAttribute("String", "api", null));
    attributes.put("bin", new MessageAttribute("Binary", null, new byte[] {1, 2}));
    ByteBuffer expected = ByteBuffer.allocate(256);
    field(expected, "bin".getBytes());
    field(expected, "Binary".getBytes());
    expected.put((byte) 2);
    field(expected, new byte[] {1, 2});
    field(expected, "source".getBytes());
    field(expected, "String".getBytes());
    expected.put((byte) 1);
    field(expected, "api".getBytes());
    byte[] bytes = new byte[expected.position()];
    expected.flip().get(bytes);

    assertThat(MessageDigests.ofAttributes(attributes)).isEqualTo(md5(bytes));
    assertThat(MessageDigests.ofAttributes(Map.of())).isNull();
  }

  @Test
  void receiptHandlesRoundTripAndRejectGarbage() {
    ReceiptHandle handle =
        new ReceiptHandle(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    assertThat(ReceiptHandle.decode(handle.encode())).isEqualTo(handle);
    assertThatThrownBy(() -> ReceiptHandle.decode("not-a-handle"))
        .isInstanceOf(ApiException.class)
        .extracting(e -> ((ApiException) e).code())
        .isEqualTo("ReceiptHandleIsInvalid");
  }

  @Test
  void queueNamesFollowSqsRules() {
    assertThat(QueueNames.check("processing-queue", false)).isEqualTo("processing-queue");
    assertThat(QueueNames.check("orders.fifo", true)).isEqualTo("orders.fifo");
    assertThatThrownBy(() -> QueueNames.check("orders", true)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> QueueNames.check("bad name", false)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> QueueNames.check("x".repeat(81), false))
        .isInstanceOf(ApiException.class);
  }

  private static void field(ByteBuffer buffer, byte[] value) {
    buffer.putInt(value.length).put(value);
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
