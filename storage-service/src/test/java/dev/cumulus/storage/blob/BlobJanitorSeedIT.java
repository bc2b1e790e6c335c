package dev.cumulus.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.StorageSeedFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The janitor: crash orphans go, live files stay. */
class BlobJanitorSeedIT extends StorageSeedFixture {
  @Test
  void janitorRemovesOrphansButKeepsLiveFiles() throws Exception {
    SeedInstance seed = seedInstance("janitor");
    createBucket(seed.base(), seed.token(), "kept");
    byte[] bytes = randomBytes(4096);
    upload(seed.base(), seed.token(), "kept", bytes, "live.bin");
    List<Path> live = blobFiles(seed.service());
    assertThat(live).hasSize(1);

    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Path tmp = Files.createDirectories(DATA.resolve("tmp"));
    Path oldTemp = Files.writeString(tmp.resolve(UUID.randomUUID() + ".part"), "crashed upload");
    Files.setLastModifiedTime(oldTemp, old);
    Path freshTemp = Files.writeString(tmp.resolve(UUID.randomUUID() + ".part"), "in flight");
    Path orphan =
        Files.writeString(
            DATA.resolve("blobs").resolve(seed.service()).resolve(UUID.randomUUID().toString()),
            "moved, never committed");
    Files.setLastModifiedTime(orphan, old);
    Files.setLastModifiedTime(live.get(0), old);

    Long removed = janitor.sweep().block(Duration.ofSeconds(30));

    assertThat(removed).isGreaterThanOrEqualTo(2);
    assertThat(oldTemp).doesNotExist();
    assertThat(orphan).doesNotExist();
    assertThat(freshTemp).exists();
    assertThat(live.get(0)).exists();
    assertThat(download(seed.base() + "/buckets/kept/objects/live.bin", seed.token()))
        .isEqualTo(bytes);
    Files.delete(freshTemp);
  }
}
