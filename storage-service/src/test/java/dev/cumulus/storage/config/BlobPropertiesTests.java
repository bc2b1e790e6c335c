package dev.cumulus.storage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.storage.blob.domain.BlobPaths;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class BlobPropertiesTests {

  @Test
  void theFilesystemIsTheDefaultAndS3SettingsHaveSafeDefaults() {
    BlobProperties blob = new BlobProperties(null, null, null, null);
    assertThat(blob.backend()).isEqualTo(BlobProperties.FILESYSTEM);
    assertThat(blob.janitorInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(blob.janitorInitialDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(blob.s3().region()).isEqualTo("us-east-1");
    assertThat(blob.s3().pathStyle()).isTrue();
    assertThat(blob.s3().keyPrefix()).isEmpty();
    assertThat(blob.s3().partSize()).isEqualTo(DataSize.ofMegabytes(8));
    // Blank (an unset environment variable mapped in application.yml) is the default too.
    assertThat(new BlobProperties(" ", null, null, null).backend()).isEqualTo("filesystem");
    assertThat(new BlobProperties("S3", null, null, null).backend()).isEqualTo("s3");
  }

  @Test
  void anUnknownBackendIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new BlobProperties("nfs", null, null, null))
        .hasMessageContaining("filesystem or s3");
  }

  @Test
  void blobPathsAreFreshAndRecognised() {
    String path = BlobPaths.fresh("svc-1");
    assertThat(path).startsWith("svc-1/");
    assertThat(BlobPaths.fresh("svc-1")).isNotEqualTo(path);
    assertThat(BlobPaths.isBlobPath(path)).isTrue();
    assertThat(BlobPaths.isBlobPath("svc-1/../x")).isFalse();
    assertThat(BlobPaths.isBlobPath("svc-1/" + "a".repeat(36))).isFalse();
    assertThatThrownBy(() -> BlobPaths.fresh("../up")).isInstanceOf(IllegalArgumentException.class);
  }
}
