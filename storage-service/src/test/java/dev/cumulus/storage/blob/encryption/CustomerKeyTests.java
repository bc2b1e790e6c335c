package dev.cumulus.storage.blob.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What is stored of an SSE-C key tells the key right from wrong, and nothing more. */
class CustomerKeyTests {

  static byte[] random32() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Test
  void aFingerprintMatchesItsKeyOnlyAndIsSaltedAfresh() {
    byte[] raw = random32();
    CustomerKey key = new CustomerKey(raw);
    byte[] first = key.fingerprint();
    byte[] second = key.fingerprint();
    assertThat(first).hasSize(48).isNotEqualTo(second);
    assertThat(key.matches(first)).isTrue();
    assertThat(new CustomerKey(raw.clone()).matches(second)).isTrue();
    assertThat(new CustomerKey(random32()).matches(first)).isFalse();
    byte[] tampered = first.clone();
    tampered[40] ^= 1;
    assertThat(key.matches(tampered)).isFalse();
    assertThat(key.matches(null)).isFalse();
    assertThat(key.matches(Arrays.copyOf(first, 47))).isFalse();
    // Neither the key nor the data key it derives is in the fingerprint.
    assertThat(new String(first, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThat(key.dataKey()).hasSize(32).isNotEqualTo(raw);
    assertThat(key.toString()).doesNotContain(java.util.HexFormat.of().formatHex(raw));
  }

  @Test
  void onlyA256BitKeyIsAKey() {
    assertThatThrownBy(() -> new CustomerKey(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CustomerKey(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
