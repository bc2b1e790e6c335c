package dev.cumulus.storage.bucket.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.object.domain.ObjectKeys;
import org.junit.jupiter.api.Test;

class BucketNamesTests {

  @Test
  void acceptsS3Names() {
    for (String name : new String[] {"my-documents", "abc", "a.b.c", "1bucket", "x".repeat(63)}) {
      assertThat(BucketNames.violation(name)).as(name).isEmpty();
    }
  }

  @Test
  void refusesWhatS3Refuses() {
    for (String name :
        new String[] {
          "",
          "ab",
          "x".repeat(64),
          "My-Bucket",
          "under_score",
          "-start",
          "end-",
          "a..b",
          "192.168.0.1",
          "xn--bucket",
          "sthree-x",
          "bucket-s3alias",
          "bucket--ol-s3"
        }) {
      assertThat(BucketNames.violation(name)).as(name).isPresent();
    }
  }

  @Test
  void objectKeysAreOneTo1024BytesOfUtf8() {
    assertThat(ObjectKeys.violation("documents/important.pdf")).isEmpty();
    assertThat(ObjectKeys.violation("k".repeat(1024))).isEmpty();
    assertThat(ObjectKeys.violation("k".repeat(1025))).isPresent();
    assertThat(ObjectKeys.violation("é".repeat(513))).isPresent();
    assertThat(ObjectKeys.violation("")).isPresent();
    assertThat(ObjectKeys.afterKey(ObjectKeys.token("a/b/ü"))).contains("a/b/ü");
  }
}
