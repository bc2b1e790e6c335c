package dev.cumulus.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Against a real key set over HTTP: a token naming a key the set lacks costs one fetch, and the
 * next tokens naming it cost none; tokens of the real key still verify.
 */
class UnknownKeyGuardIT {

  @Test
  void aForgedKeyIdCostsOneKeySetFetch() {
    TestJwtIssuer real = TestJwtIssuer.shared();
    AtomicInteger fetches = new AtomicInteger();
    WebClient counting =
        WebClient.builder()
            .filter(
                (request, next) -> {
                  fetches.incrementAndGet();
                  return next.exchange(request);
                })
            .build();
    UnknownKeyGuard guard =
        new UnknownKeyGuard(
            NimbusReactiveJwtDecoder.withJwkSetUri(real.jwksUri())
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .webClient(counting)
                .build(),
            Duration.ofMinutes(5),
            1000);

    assertThat(guard.decode(real.token("t1")).block().getClaimAsString("tenant_id"))
        .isEqualTo("t1");
    int afterValid = fetches.get();

    TestJwtIssuer forger = TestJwtIssuer.start(); // another key, another kid
    assertThatThrownBy(() -> guard.decode(forger.token("t1")).block())
        .isInstanceOf(BadJwtException.class);
    int afterFirstForgery = fetches.get();
    assertThat(afterFirstForgery).isGreaterThan(afterValid);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> guard.decode(forger.token("t1")).block())
          .isInstanceOf(BadJwtException.class);
    }
    assertThat(fetches.get()).isEqualTo(afterFirstForgery);
    assertThat(guard.decode(real.token("t2")).block()).isNotNull();
  }
}
