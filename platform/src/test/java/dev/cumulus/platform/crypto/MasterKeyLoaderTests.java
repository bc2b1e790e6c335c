package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyLoaderTests {

  private final MasterKeyLoader loader =
      new MasterKeyLoader(
          "test-service", "encrypt its things", "cumulus.test.master-key", "CUMULUS_TEST_KEY");

  @Test
  void aConfiguredKeyWinsAndNoFileIsWritten(@TempDir Path dir) {
    String configured = MasterKey.generateBase64();
    MasterKey key = loader.load(configured, null, dir.resolve("k"), true);
    byte[] sealed = key.encrypt(new byte[] {7}, "x");
    assertThat(MasterKey.fromBase64(configured).decrypt(sealed, "x")).containsExactly(7);
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @Test
  void outsideDevAMissingKeyStopsStartUpNamingTheVariable(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load(" ", null, dir.resolve("k"), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test-service needs a master key to encrypt its things")
        .hasMessageContaining("CUMULUS_TEST_KEY");
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @Test
  void devGeneratesAnOwnerOnlyFileOnceAndReusesIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data/master-key");
    MasterKey first = loader.load(null, null, file, true);
    String stored = Files.readString(file, StandardCharsets.UTF_8);
    MasterKey second = loader.load(null, null, file, true);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(stored);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(second.decrypt(first.encrypt(new byte[] {1, 2}, "a"), "a")).containsExactly(1, 2);
  }

  @Test
  void aMalformedKeyIsRefusedWithItsSource(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load("c2hvcnQ=", null, dir.resolve("k"), false))
        .hasMessageContaining("32 bytes")
        .hasMessageContaining("CUMULUS_TEST_KEY");
  }

  @Test
  void aDecryptionUnderAnotherKeyNamesTheVariable() {
    MasterKey one = loader.load(MasterKey.generateBase64(), null, null, false);
    MasterKey other = loader.load(MasterKey.generateBase64(), null, null, false);
    byte[] sealed = one.encrypt(new byte[] {1}, "row-1");
    assertThatThrownBy(() -> other.decrypt(sealed, "row-1"))
        .hasMessageContaining("CUMULUS_TEST_KEY");
  }

  @Test
  void previousKeysAreOpenedButNeverUsedToSeal(@TempDir Path dir) {
    MasterKeyLoader named =
        new MasterKeyLoader(
            "test-service",
            "encrypt its things",
            "cumulus.test.master-key",
            "CUMULUS_TEST_MASTER_KEY");
    String oldBase64 = MasterKey.generateBase64();
    MasterKey old = named.load(oldBase64, null, null, false);
    byte[] sealed = old.encrypt(new byte[] {4}, "row-1");

    MasterKey rotated =
        named.load(MasterKey.generateBase64(), " " + oldBase64 + " , ", dir.resolve("k"), false);

    assertThat(rotated.decrypt(sealed, "row-1")).containsExactly(4);
    assertThatThrownBy(() -> old.decrypt(rotated.encrypt(new byte[] {5}, "row-2"), "row-2"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(named.load(oldBase64, "", null, false).hasPrevious()).isFalse();
    assertThat(named.previousProperty()).isEqualTo("cumulus.test.previous-master-keys");
    assertThatThrownBy(() -> named.load(oldBase64, "c2hvcnQ=", null, false))
        .hasMessageContaining("CUMULUS_TEST_PREVIOUS_MASTER_KEYS")
        .hasMessageContaining("32 bytes");
  }
}
