package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretSealerTests {

  private final SecretSealer sealer =
      new SecretSealer(MasterKey.fromBase64(MasterKey.generateBase64()));

  @Test
  void aSealedSecretOpensForItsOwnRowOnly() {
    byte[] sealed = sealer.seal("whsec_s3cr3t é", "row-1");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
    assertThat(sealer.open(sealed, "row-1")).isEqualTo("whsec_s3cr3t é");
    assertThatThrownBy(() -> sealer.open(sealed, "row-2")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void anotherKeyCannotOpenIt() {
    byte[] sealed = sealer.seal("password", "login-1");
    SecretSealer other = new SecretSealer(MasterKey.fromBase64(MasterKey.generateBase64()));

    assertThatThrownBy(() -> other.open(sealed, "login-1")).isInstanceOf(RuntimeException.class);
  }
}
