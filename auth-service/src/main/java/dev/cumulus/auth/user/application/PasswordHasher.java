package dev.cumulus.auth.user.application;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id (Spring Security's 5.8 defaults: 16 MiB, 2 iterations). Hashing is deliberately slow CPU
 * work, so it runs on the bounded elastic scheduler, never on a Netty event loop.
 */
@Component
public class PasswordHasher {

  private final Argon2PasswordEncoder encoder =
      Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

  // Verified when no user matches, so "no such user" costs as much as "wrong password".
  private final String decoyHash = encoder.encode("cumulus-decoy-password");

  public Mono<String> hash(String password) {
    return Mono.fromCallable(() -> encoder.encode(password))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** Whether the password matches; a null hash (no password set) never matches. */
  public Mono<Boolean> matches(String password, String hash) {
    String against = hash == null ? decoyHash : hash;
    return Mono.fromCallable(() -> encoder.matches(password, against) && hash != null)
        .subscribeOn(Schedulers.boundedElastic());
  }
}
