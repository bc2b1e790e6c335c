package dev.cumulus.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class VerifiedTokenCacheTests {

  private final AtomicInteger decoded = new AtomicInteger();

  /** "good-<seconds>" tokens verify and expire that many seconds from now; others are refused. */
  private final ReactiveJwtDecoder counting =
      token -> {
        decoded.incrementAndGet();
        if (!token.startsWith("good-")) {
          return Mono.error(new BadJwtException("bad token"));
        }
        Instant now = Instant.now();
        return Mono.just(
            Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .subject("user")
                .issuedAt(now.minusSeconds(1))
                .expiresAt(now.plusSeconds(Long.parseLong(token.substring(5))))
                .build());
      };

  private final VerifiedTokenCache cache =
      new VerifiedTokenCache(counting, 100, Duration.ofMinutes(5));

  @Test
  void aVerifiedTokenIsVerifiedOnceWhileItIsValid() {
    Jwt first = cache.decode("good-600").block();
    Jwt again = cache.decode("good-600").block();
    assertThat(again).isSameAs(first);
    assertThat(decoded).hasValue(1);
    cache.decode("good-601").block();
    assertThat(decoded).hasValue(2);
  }

  @Test
  void refusalsAreNeverRemembered() {
    assertThatThrownBy(() -> cache.decode("forged").block()).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> cache.decode("forged").block()).isInstanceOf(BadJwtException.class);
    assertThat(decoded).hasValue(2);
  }

  @Test
  void aTokenIsNotServedFromMemoryPastItsExpiry() throws InterruptedException {
    cache.decode("good-1").block();
    Thread.sleep(1_100);
    cache.decode("good-1").block();
    assertThat(decoded).hasValue(2);
  }
}
