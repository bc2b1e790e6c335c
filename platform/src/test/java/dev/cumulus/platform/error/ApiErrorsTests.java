package dev.cumulus.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiErrorsTests {

  @Test
  void decoderMessagesLoseTheirJavaNames() {
    assertThat(
            ApiErrors.withoutJavaNames(
                "Cannot deserialize value of type `dev.cumulus.auth.session.web.Controller$LoginRequest`"
                    + " from Array value"))
        .isEqualTo("Cannot deserialize value of type LoginRequest from Array value");
    assertThat(
            ApiErrors.withoutJavaNames(
                "Bad body for: public reactor.core.publisher.Mono<java.lang.Object>"
                    + " dev.cumulus.X.login(java.lang.String)"))
        .isEqualTo("Bad body");
    assertThat(ApiErrors.withoutJavaNames("Unexpected character ('o' (code 111)) at 1.2"))
        .isEqualTo("Unexpected character ('o' (code 111)) at 1.2");
  }
}
