package dev.cumulus.auth.user.application;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id with at least OWASP's parameters (m = 19 MiB, t = 2, p = 1; 16-byte salt, 32-byte hash).
 * A hash made with weaker parameters (Spring Security 5.8's 16 MiB, which Cumulus used before)
 * still verifies and is replaced at the user's next login ({@link #needsRehash}). Hashing is
 * deliberately slow CPU work, so it runs on the bounded elastic scheduler, never on a Netty event
 * loop.
 */
@Component
public class PasswordHasher {

  static final int MEMORY_KIB = 19 * 1024;
  static final int ITERATIONS = 2;

  private final Argon2PasswordEncoder encoder =
      new Argon2PasswordEncoder(16, 32, 1, MEMORY_KIB, ITERATIONS);

  // Verified when no user matches, so "no such user" costs as much as "wrong password".
  private final String decoyHash = encoder.encode("cumulus-decoy-password");

  public Mono<String> hash(String password) {
    return Mono.fromCallable(() -> encoder.encode(password))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** Whether a stored hash was made with weaker parameters than today's. */
  public boolean needsRehash(String hash) {
    return hash != null && encoder.upgradeEncoding(hash);
  }

  /** Whether the password matches; a null hash (no password set) never matches. */
  public Mono<Boolean> matches(String password, String hash) {
    String against = hash == null ? decoyHash : hash;
    return Mono.fromCallable(() -> encoder.matches(password, against) && hash != null)
        .subscribeOn(Schedulers.boundedElastic());
  }
}
