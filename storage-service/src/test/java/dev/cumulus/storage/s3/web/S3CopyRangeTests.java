package dev.cumulus.storage.s3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.storage.object.domain.ByteRange;
import org.junit.jupiter.api.Test;

/** UploadPartCopy's x-amz-copy-source-range, held to S3's stricter form than GET's Range. */
class S3CopyRangeTests {

  @Test
  void aFirstLastRangeInsideTheSourceIsTaken() {
    assertThat(S3MultipartOperations.copyRange("bytes=0-99", 100)).isEqualTo(new ByteRange(0, 99));
    assertThat(S3MultipartOperations.copyRange(" bytes=10-10 ", 100))
        .isEqualTo(new ByteRange(10, 10));
  }

  @Test
  void otherFormsAndRangesPastTheSourceAreInvalidArgument() {
    for (String malformed :
        new String[] {"0-99", "bytes=-10", "bytes=5-", "bytes=0-1,3-4", "bytes=a-b", "bytes="}) {
      assertThatThrownBy(() -> S3MultipartOperations.copyRange(malformed, 100))
          .as(malformed)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("InvalidArgument");
                assertThat(e.getMessage()).contains("bytes=first-last");
              });
    }
    for (String outside : new String[] {"bytes=0-100", "bytes=100-100", "bytes=50-10"}) {
      assertThatThrownBy(() -> S3MultipartOperations.copyRange(outside, 100))
          .as(outside)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("InvalidArgument");
                assertThat(e.getMessage()).contains("source object of size: 100");
              });
    }
  }
}
