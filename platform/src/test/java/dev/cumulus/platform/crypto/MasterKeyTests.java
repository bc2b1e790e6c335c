package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

  @Test
  void withPreviousKeysItSealsUnderTheNewKeyAndStillOpensWhatTheOldOnesSealed() {
    MasterKey old = MasterKey.fromBase64(MasterKey.generateBase64(), "CUMULUS_TEST_MASTER_KEY");
    MasterKey fresh = MasterKey.fromBase64(MasterKey.generateBase64(), "CUMULUS_TEST_MASTER_KEY");
    byte[] underOld = old.encrypt(new byte[] {7, 8}, "kid-1");
    MasterKey rotated = fresh.withPrevious(List.of(old));

    assertThat(rotated.hasPrevious()).isTrue();
    assertThat(fresh.hasPrevious()).isFalse();
    assertThat(rotated.decrypt(underOld, "kid-1")).containsExactly(7, 8);
    byte[] underNew = rotated.encrypt(new byte[] {9}, "kid-2");
    assertThat(fresh.decrypt(underNew, "kid-2")).containsExactly(9);
    assertThatThrownBy(() -> old.decrypt(underNew, "kid-2"))
        .isInstanceOf(IllegalStateException.class);
    // The associated data still binds a value to its row under a previous key.
    assertThatThrownBy(() -> rotated.decrypt(underOld, "kid-2"))
        .hasMessageContaining("none of the previous keys");
  }

  @Test
  void reencryptMovesAValueFromAPreviousKeyToTheCurrentOneAndLeavesCurrentOnesAlone() {
    MasterKey old = MasterKey.fromBase64(MasterKey.generateBase64(), "CUMULUS_TEST_MASTER_KEY");
    MasterKey fresh = MasterKey.fromBase64(MasterKey.generateBase64(), "CUMULUS_TEST_MASTER_KEY");
    MasterKey stranger = MasterKey.fromBase64(MasterKey.generateBase64());
    MasterKey rotated = fresh.withPrevious(List.of(old, fresh));

    byte[] moved = rotated.reencrypt(old.encrypt(new byte[] {1, 2, 3}, "t1"), "t1").orElseThrow();
    assertThat(fresh.decrypt(moved, "t1")).containsExactly(1, 2, 3);
    assertThat(rotated.reencrypt(moved, "t1")).isEmpty();
    assertThatThrownBy(() -> rotated.reencrypt(stranger.encrypt(new byte[] {1}, "t1"), "t1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> rotated.reencrypt(new byte[] {1, 2}, "t1"))
        .isInstanceOf(IllegalStateException.class);
  }
}
