package dev.cumulus.auth.user.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Argon2id at OWASP's minimum, and older hashes marked for replacement. */
class PasswordHasherTests {

  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void newHashesUseOwaspsParameters() {
    String hash = hasher.hash("correct horse").block();
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(hasher.matches("correct horse", hash).block()).isTrue();
    assertThat(hasher.needsRehash(hash)).isFalse();
  }

  @Test
  void aHashWithSpring58sWeakerParametersStillVerifiesAndNeedsReplacing() {
    String old = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("correct horse");
    assertThat(old).startsWith("$argon2id$v=19$m=16384,t=2,p=1$");
    assertThat(hasher.matches("correct horse", old).block()).isTrue();
    assertThat(hasher.matches("wrong horse", old).block()).isFalse();
    assertThat(hasher.needsRehash(old)).isTrue();
    assertThat(hasher.needsRehash(null)).isFalse();
  }
}
