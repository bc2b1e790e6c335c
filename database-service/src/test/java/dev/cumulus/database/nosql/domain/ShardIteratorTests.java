package dev.cumulus.database.nosql.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShardIteratorTests {

  private static final String KEY = "a-secret-key";
  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
  private static final ShardIterator ITERATOR =
      new ShardIterator("svc-1", "orders", "2026-01-01T00:00:00.000", 41, ISSUED);

  private static String type(Throwable e) {
    return ((DynamoException) e).type();
  }

  @Test
  void decodesWhatItEncodedForItsInstance() {
    String text = ITERATOR.encode(KEY);
    assertThat(ShardIterator.decode(text, KEY, "svc-1", ISSUED.plusSeconds(60)))
        .isEqualTo(ITERATOR);
    assertThat(text).doesNotContain("orders");
  }

  @Test
  void refusesAnotherInstanceAnotherKeyAndTampering() {
    String text = ITERATOR.encode(KEY);
    assertThatThrownBy(() -> ShardIterator.decode(text, KEY, "svc-2", ISSUED))
        .satisfies(e -> assertThat(type(e)).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> ShardIterator.decode(text, "other-key", "svc-1", ISSUED))
        .satisfies(e -> assertThat(type(e)).isEqualTo("ValidationException"));
    String forged =
        new ShardIterator("svc-1", "orders", "2026-01-01T00:00:00.000", 0, ISSUED)
                .encode(KEY)
                .split("\\.")[0]
            + "."
            + text.split("\\.")[1];
    assertThatThrownBy(() -> ShardIterator.decode(forged, KEY, "svc-1", ISSUED))
        .satisfies(e -> assertThat(type(e)).isEqualTo("ValidationException"));
    for (String junk : new String[] {"", ".", "abc", "a.b", "%%%.%%%", "x".repeat(3000)}) {
      assertThatThrownBy(() -> ShardIterator.decode(junk, KEY, "svc-1", ISSUED))
          .satisfies(e -> assertThat(type(e)).isEqualTo("ValidationException"));
    }
  }

  @Test
  void expiresAfterFifteenMinutes() {
    String text = ITERATOR.encode(KEY);
    Instant deadline = ISSUED.plus(Duration.ofMinutes(15));
    assertThat(ShardIterator.decode(text, KEY, "svc-1", deadline)).isEqualTo(ITERATOR);
    assertThatThrownBy(() -> ShardIterator.decode(text, KEY, "svc-1", deadline.plusMillis(1)))
        .satisfies(e -> assertThat(type(e)).isEqualTo("ExpiredIteratorException"));
    // The next iterator is issued afresh.
    ShardIterator next = ITERATOR.next(50, deadline);
    assertThat(ShardIterator.decode(next.encode(KEY), KEY, "svc-1", deadline.plusSeconds(60)))
        .extracting(ShardIterator::afterSeq)
        .isEqualTo(50L);
  }
}
