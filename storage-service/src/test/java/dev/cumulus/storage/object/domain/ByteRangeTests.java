package dev.cumulus.storage.object.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTests {

  @Test
  void resolvesSingleRanges() {
    assertThat(ByteRange.resolve("bytes=0-9", 100)).contains(new ByteRange(0, 9));
    assertThat(ByteRange.resolve("bytes=90-", 100)).contains(new ByteRange(90, 99));
    assertThat(ByteRange.resolve("bytes=90-500", 100)).contains(new ByteRange(90, 99));
    assertThat(ByteRange.resolve("bytes=-10", 100)).contains(new ByteRange(90, 99));
    assertThat(ByteRange.resolve("bytes=-500", 100)).contains(new ByteRange(0, 99));
  }

  @Test
  void ignoresWhatItCannotServeAsOneRange() {
    assertThat(ByteRange.resolve(null, 100)).isEmpty();
    assertThat(ByteRange.resolve("bytes=0-1,5-6", 100)).isEmpty();
    assertThat(ByteRange.resolve("items=0-1", 100)).isEmpty();
    assertThat(ByteRange.resolve("bytes=9-2", 100)).isEmpty();
  }

  @Test
  void refusesRangesPastTheEnd() {
    assertThatThrownBy(() -> ByteRange.resolve("bytes=100-", 100))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRange.resolve("bytes=-0", 100))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRange.resolve("bytes=0-", 0))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
  }
}
