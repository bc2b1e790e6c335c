package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpaqueIdsTests {

  @Test
  void anIdWhoseEncodingWouldStartWithADashStartsWithALetterInstead() {
    byte[] dashLeading = {(byte) 0xF8, 1, 2, 3, 4, 5};

    assertThat(OpaqueIds.of(dashLeading)).isEqualTo("A" + "AECAwQF");
  }

  @Test
  void randomIdsAreUrlSafeOfTheRequestedStrengthAndDiffer() {
    String first = OpaqueIds.random(24);

    assertThat(first).hasSize(32).matches("[A-Za-z0-9_][A-Za-z0-9_-]*");
    assertThat(OpaqueIds.random(24)).isNotEqualTo(first);
  }
}
