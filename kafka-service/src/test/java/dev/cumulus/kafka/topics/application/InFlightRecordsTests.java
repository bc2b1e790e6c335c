package dev.cumulus.kafka.topics.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.platform.error.ErrorKind;
import org.junit.jupiter.api.Test;

/** Running consume calls share one bound of record bytes; each gives its part back at its end. */
class InFlightRecordsTests {

  @Test
  void callsTakeRoomUntilTheBoundAndGiveItBackWhenTheyEnd() {
    InFlightRecords bound = new InFlightRecords(100);
    InFlightRecords.Share first = bound.share();
    InFlightRecords.Share second = bound.share();

    assertThat(first.take(60)).isTrue();
    assertThat(second.take(30)).isTrue();
    assertThat(bound.held()).isEqualTo(90);
    // No room for 20 more: nothing is taken, and the call knows it was refused.
    assertThat(second.take(20)).isFalse();
    assertThat(second.refused()).isTrue();
    assertThat(first.refused()).isFalse();
    assertThat(bound.held()).isEqualTo(90);

    first.close();
    assertThat(bound.held()).isEqualTo(30);
    assertThat(second.take(20)).isTrue();
    second.close();
    assertThat(bound.held()).isZero();
  }

  @Test
  void aShareClosedTwiceGivesBackOnce() {
    InFlightRecords bound = new InFlightRecords(100);
    InFlightRecords.Share other = bound.share();
    other.take(40);
    InFlightRecords.Share share = bound.share();
    share.take(50);

    share.close();
    share.close();

    assertThat(bound.held()).isEqualTo(40);
  }

  @Test
  void aRecordLargerThanWhatIsLeftIsRefusedEvenAlone() {
    InFlightRecords bound = new InFlightRecords(100);
    try (InFlightRecords.Share share = bound.share()) {
      assertThat(share.take(101)).isFalse();
      assertThat(share.refused()).isTrue();
    }
    assertThat(bound.held()).isZero();
  }

  @Test
  void theRefusalIsAServiceUnavailable() {
    assertThat(KafkaErrors.consumeCapacityExhausted().kind())
        .isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
    assertThat(KafkaErrors.consumeCapacityExhausted().code()).isEqualTo("ConsumeCapacityExhausted");
  }

  @Test
  void refusesAnEmptyBound() {
    assertThatThrownBy(() -> new InFlightRecords(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
