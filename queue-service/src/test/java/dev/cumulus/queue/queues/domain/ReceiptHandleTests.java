package dev.cumulus.queue.queues.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReceiptHandleTests {

  // 0xF8... encodes to a leading '-' in bare base64url.
  private static final UUID DASH_LEADING = new UUID(0xF800000000000000L, 1L);

  @Test
  void anEncodedHandleNeverStartsWithADashThatCommandLineParsersTakeForAnOption() {
    ReceiptHandle handle = new ReceiptHandle(DASH_LEADING, UUID.randomUUID(), UUID.randomUUID());

    String encoded = handle.encode();

    assertThat(encoded).doesNotStartWith("-").startsWith("AQ");
    assertThat(ReceiptHandle.decode(encoded)).isEqualTo(handle);
  }

  @Test
  void aHandleDrawnBeforeThePrefixExistedStillDecodes() {
    ReceiptHandle handle =
        new ReceiptHandle(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

    String legacy = handle.encode().substring(2);

    assertThat(ReceiptHandle.decode(legacy)).isEqualTo(handle);
  }

  @Test
  void somethingThatIsNotAHandleIsRefusedAsInvalid() {
    assertThatThrownBy(() -> ReceiptHandle.decode("AQnot-a-handle"))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("not valid");
  }
}
