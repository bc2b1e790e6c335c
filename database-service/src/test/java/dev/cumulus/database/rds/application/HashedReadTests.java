package dev.cumulus.database.rds.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The hash of one read covers the whole object, whatever the readers above left unread. */
class HashedReadTests {

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void hashesWhatWasReadAndWhatWasLeft() throws Exception {
    byte[] object = "0123456789abcdefghij".repeat(1000).getBytes();
    HashedRead read = new HashedRead(new ByteArrayInputStream(object));

    read.readNBytes(1234);
    read.skip(100);
    read.read();

    assertThat(read.sha256Hex()).isEqualTo(sha256(object));
    assertThat(read.sha256Hex()).as("asked again").isEqualTo(sha256(object));
  }

  @Test
  void aGzipMemberFollowedByMoreBytesIsHashedToTheEnd() throws Exception {
    var gzipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
      gzip.write("SELECT 1;".getBytes());
    }
    byte[] object = java.util.Arrays.copyOf(gzipped.toByteArray(), gzipped.size() + 7);
    HashedRead read = new HashedRead(new ByteArrayInputStream(object));

    assertThat(new String(new GZIPInputStream(read).readAllBytes())).isEqualTo("SELECT 1;");
    assertThat(read.sha256Hex()).isEqualTo(sha256(object));
  }

  @Test
  void aChangedByteChangesTheHash() throws Exception {
    byte[] object = "backup".repeat(100).getBytes();
    byte[] damaged = object.clone();
    damaged[300] ^= 1;

    assertThat(new HashedRead(new ByteArrayInputStream(damaged)).sha256Hex())
        .isNotEqualTo(sha256(object));
  }
}
