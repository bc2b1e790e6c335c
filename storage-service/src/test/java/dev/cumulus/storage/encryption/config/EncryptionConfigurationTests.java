package dev.cumulus.storage.encryption.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.storage.config.StorageProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class EncryptionConfigurationTests {

  private static StorageProperties properties(Path dataDir, String masterKey) {
    return new StorageProperties(
        dataDir, null, null, null, masterKey, null, null, null, null, null);
  }

  @Test
  void devGeneratesTheMasterKeyIntoTheDataDirOnceAndReusesIt(@TempDir Path dataDir)
      throws Exception {
    MockEnvironment dev = new MockEnvironment();
    dev.setActiveProfiles("dev");
    MasterKey first = new EncryptionConfiguration().storageMasterKey(properties(dataDir, ""), dev);
    Path file = dataDir.resolve("master-key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    MasterKey again = new EncryptionConfiguration().storageMasterKey(properties(dataDir, ""), dev);
    assertThat(again.decrypt(first.encrypt(new byte[] {42}, "t"), "t")).containsExactly(42);
  }

  @Test
  void outsideDevAMissingMasterKeyStopsStartUpNamingTheVariable(@TempDir Path dataDir) {
    assertThatThrownBy(
            () ->
                new EncryptionConfiguration()
                    .storageMasterKey(properties(dataDir, null), new MockEnvironment()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CUMULUS_STORAGE_MASTER_KEY");
    assertThat(dataDir.resolve("master-key")).doesNotExist();
  }

  @Test
  void aConfiguredKeyIsUsedAsGiven(@TempDir Path dataDir) {
    String configured = MasterKey.generateBase64();
    MasterKey key =
        new EncryptionConfiguration()
            .storageMasterKey(properties(dataDir, configured), new MockEnvironment());
    assertThat(MasterKey.fromBase64(configured).decrypt(key.encrypt(new byte[] {1}, "a"), "a"))
        .containsExactly(1);
    assertThat(dataDir.resolve("master-key")).doesNotExist();
  }
}
