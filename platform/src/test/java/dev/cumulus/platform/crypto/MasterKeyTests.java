package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MasterKeyTests {

  private final MasterKey key =
      MasterKey.fromBase64(MasterKey.generateBase64(), "CUMULUS_TEST_MASTER_KEY");

  @Test
  void encryptsWithAFreshNonceAndDecryptsBack() {
    byte[] secret = "private key bytes".getBytes(StandardCharsets.UTF_8);
    byte[] first = key.encrypt(secret, "kid-1");
    byte[] second = key.encrypt(secret, "kid-1");
    assertThat(first).isNotEqualTo(second);
    assertThat(new String(key.decrypt(first, "kid-1"), StandardCharsets.UTF_8))
        .isEqualTo("private key bytes");
  }

  @Test
  void refusesAnotherKeyIdTamperingOrAnotherMasterKey() {
    byte[] sealed = key.encrypt(new byte[] {1, 2, 3}, "kid-1");
    assertThatThrownBy(() -> key.decrypt(sealed, "kid-2"))
        .isInstanceOf(IllegalStateException.class);
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> key.decrypt(tampered, "kid-1"))
        .isInstanceOf(IllegalStateException.class);
    MasterKey other = MasterKey.fromBase64(MasterKey.generateBase64(), "CUMULUS_TEST_MASTER_KEY");
    assertThatThrownBy(() -> other.decrypt(sealed, "kid-1"))
        .hasMessageContaining("CUMULUS_TEST_MASTER_KEY");
  }

  @Test
  void acceptsOnlyBase64Of32Bytes() {
    assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKey.fromBase64("not base64!")).hasMessageContaining("base64");
  }
}
