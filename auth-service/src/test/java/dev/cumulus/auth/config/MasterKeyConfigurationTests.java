package dev.cumulus.auth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class MasterKeyConfigurationTests {

  private static AuthProperties properties(String masterKey, Path file) {
    return new AuthProperties(
        masterKey,
        null,
        file,
        Duration.ofHours(24),
        Duration.ofDays(7),
        Duration.ofSeconds(300),
        Duration.ofMinutes(15),
        false,
        null,
        null,
        null);
  }

  @Test
  void outsideDevAMissingMasterKeyStopsStartUpWithAClearMessage(@TempDir Path dir) {
    MockEnvironment production = new MockEnvironment();
    assertThatThrownBy(
            () ->
                new MasterKeyConfiguration()
                    .masterKey(properties("", dir.resolve("k")), production))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CUMULUS_AUTH_MASTER_KEY");
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @Test
  void devGeneratesTheKeyOnceAndReusesIt(@TempDir Path dir) throws Exception {
    MockEnvironment dev = new MockEnvironment();
    dev.setActiveProfiles("dev");
    Path file = dir.resolve("auth/master.key");
    new MasterKeyConfiguration().masterKey(properties(null, file), dev);
    String first = java.nio.file.Files.readString(file);
    new MasterKeyConfiguration().masterKey(properties(null, file), dev);
    assertThat(java.nio.file.Files.readString(file)).isEqualTo(first);
  }

  @Test
  void aConfiguredKeyMustBe32Bytes(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                new MasterKeyConfiguration()
                    .masterKey(properties("c2hvcnQ=", dir.resolve("k")), new MockEnvironment()))
        .hasMessageContaining("32 bytes");
  }
}
