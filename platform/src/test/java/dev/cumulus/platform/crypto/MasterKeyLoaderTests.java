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
    MasterKey key = loader.load(configured, dir.resolve("k"), true);
    byte[] sealed = key.encrypt(new byte[] {7}, "x");
    assertThat(MasterKey.fromBase64(configured).decrypt(sealed, "x")).containsExactly(7);
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @Test
  void outsideDevAMissingKeyStopsStartUpNamingTheVariable(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load(" ", dir.resolve("k"), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test-service needs a master key to encrypt its things")
        .hasMessageContaining("CUMULUS_TEST_KEY");
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @Test
  void devGeneratesAnOwnerOnlyFileOnceAndReusesIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data/master-key");
    MasterKey first = loader.load(null, file, true);
    String stored = Files.readString(file, StandardCharsets.UTF_8);
    MasterKey second = loader.load(null, file, true);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(stored);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(second.decrypt(first.encrypt(new byte[] {1, 2}, "a"), "a")).containsExactly(1, 2);
  }

  @Test
  void aMalformedKeyIsRefusedWithItsSource(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load("c2hvcnQ=", dir.resolve("k"), false))
        .hasMessageContaining("32 bytes")
        .hasMessageContaining("CUMULUS_TEST_KEY");
  }

  @Test
  void aDecryptionUnderAnotherKeyNamesTheVariable() {
    MasterKey one = loader.load(MasterKey.generateBase64(), null, false);
    MasterKey other = loader.load(MasterKey.generateBase64(), null, false);
    byte[] sealed = one.encrypt(new byte[] {1}, "row-1");
    assertThatThrownBy(() -> other.decrypt(sealed, "row-1"))
        .hasMessageContaining("CUMULUS_TEST_KEY");
  }
}
