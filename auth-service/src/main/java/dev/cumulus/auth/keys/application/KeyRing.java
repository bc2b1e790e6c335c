package dev.cumulus.auth.keys.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.keys.domain.SigningKey;
import dev.cumulus.auth.keys.persistence.SigningKeyRepository;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The signing keys, cached in memory: the active key signs, every published key verifies and
 * appears in the JWKS. Instances share keys through the database and reload them periodically and
 * whenever a token names a key they do not know yet.
 */
@Service
public class KeyRing {

  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  // A token naming an unknown kid reloads at most this often (forged kids must not hammer the DB).
  private static final Duration MISS_RELOAD_INTERVAL = Duration.ofSeconds(5);

  /** Platform tenant, where key events are audited. */
  private final String platformTenant;

  private final SigningKeyRepository repository;
  private final TransactionalOperator tx;
  private final AuditLog audit;
  private final AuthProperties properties;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);
  private volatile Instant lastMissReload = Instant.EPOCH;

  public KeyRing(
      SigningKeyRepository repository,
      TransactionalOperator tx,
      AuditLog audit,
      AuthProperties properties) {
    this.repository = repository;
    this.tx = tx;
    this.audit = audit;
    this.properties = properties;
    this.platformTenant = properties.admin().tenant();
  }

  private record Snapshot(SigningKey active, Map<String, SigningKey> published) {
    static final Snapshot EMPTY = new Snapshot(null, Map.of());
  }

  /** At start-up: makes sure an active key exists (one instance generates it) and loads keys. */
  public Mono<Void> initialise() {
    Mono<Void> ensure =
        repository
            .lockForChange()
            .then(repository.findActive().map(Optional::of).defaultIfEmpty(Optional.empty()))
            .flatMap(
                active ->
                    active.isPresent()
                        ? Mono.empty()
                        : generate().flatMap(key -> store(key, AuditAction.CREATE)));
    return tx.transactional(ensure).then(reload());
  }

  /** Retires the active key and starts signing with a new one. */
  public Mono<SigningKey> rotate(Actor actor) {
    Instant now = Instant.now();
    Instant notAfter =
        now.plus(properties.accessTokenTtl()).plus(properties.keys().retirementGrace());
    Mono<SigningKey> work =
        repository
            .lockForChange()
            .then(generate())
            .flatMap(
                key ->
                    repository
                        .retireActive(now, notAfter)
                        .then(store(key, AuditAction.ROTATE, actor))
                        .thenReturn(key));
    return tx.transactional(work)
        .flatMap(key -> reload().thenReturn(key))
        .doOnNext(key -> log.info("Signing key rotated; new kid {}", key.kid()));
  }

  /** Rotates when the active key is older than {@code cumulus.auth.keys.rotation-interval}. */
  public Mono<Void> rotateIfDue() {
    // Deferred: decide on the snapshot current at subscription (after a preceding reload).
    return Mono.defer(this::rotateIfDueNow);
  }

  private Mono<Void> rotateIfDueNow() {
    Duration interval = properties.keys().rotationInterval();
    SigningKey active = snapshot.get().active();
    if (interval.isZero() || active == null) {
      return Mono.empty();
    }
    if (active.createdAt().plus(interval).isAfter(Instant.now())) {
      return Mono.empty();
    }
    // Another instance may have rotated already: decide on fresh data, under the lock.
    Mono<Boolean> due =
        repository
            .lockForChange()
            .then(repository.findActive())
            .map(current -> !current.createdAt().plus(interval).isAfter(Instant.now()))
            .defaultIfEmpty(true);
    return tx.transactional(due).flatMap(rotate -> rotate ? rotate(Actor.SYSTEM).then() : reload());
  }

  /** Re-reads the keys from the database. */
  public Mono<Void> reload() {
    return repository
        .findPublished()
        .collectList()
        .doOnNext(
            keys -> {
              Map<String, SigningKey> published = new LinkedHashMap<>();
              keys.forEach(k -> published.put(k.kid(), k));
              SigningKey active = keys.stream().filter(SigningKey::active).findFirst().orElse(null);
              snapshot.set(new Snapshot(active, Map.copyOf(published)));
            })
        .then();
  }

  /** The key new tokens are signed with. */
  public SigningKey activeKey() {
    SigningKey active = snapshot.get().active();
    if (active == null) {
      throw new IllegalStateException("No active signing key loaded yet");
    }
    return active;
  }

  /** A published key by id, reloading once (rate-limited) when this instance does not know it. */
  public Mono<SigningKey> find(String kid) {
    SigningKey known = kid == null ? null : snapshot.get().published().get(kid);
    if (known != null && known.publishedAt(Instant.now())) {
      return Mono.just(known);
    }
    if (kid == null || known != null) {
      return Mono.empty();
    }
    Instant now = Instant.now();
    if (lastMissReload.plus(MISS_RELOAD_INTERVAL).isAfter(now)) {
      return Mono.empty();
    }
    lastMissReload = now;
    return reload().then(Mono.fromSupplier(() -> snapshot.get().published().get(kid)));
  }

  /** The JWKS document: every published key's public half. */
  public Map<String, Object> jwks() {
    Instant now = Instant.now();
    List<JWK> keys =
        snapshot.get().published().values().stream()
            .filter(k -> k.publishedAt(now))
            .map(k -> (JWK) k.publicJwk())
            .toList();
    return new JWKSet(keys).toJSONObject(true);
  }

  private Mono<SigningKey> generate() {
    return Mono.fromCallable(
            () -> {
              KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
              generator.initialize(2048, RANDOM);
              KeyPair pair = generator.generateKeyPair();
              return new SigningKey(
                  newKid(),
                  (RSAPublicKey) pair.getPublic(),
                  (RSAPrivateKey) pair.getPrivate(),
                  Instant.now().truncatedTo(ChronoUnit.MICROS),
                  null,
                  null);
            })
        // RSA key generation takes tens of milliseconds of CPU: keep it off the event loop.
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(NoSuchAlgorithmException.class, IllegalStateException::new);
  }

  private Mono<Void> store(SigningKey key, AuditAction action) {
    return store(key, action, Actor.SYSTEM);
  }

  private Mono<Void> store(SigningKey key, AuditAction action, Actor actor) {
    return repository
        .insert(key)
        .then(
            audit.record(
                platformTenant,
                actor,
                action,
                AuditLog.SIGNING_KEY,
                key.kid(),
                Map.of("kid", key.kid(), "algorithm", "RS256")));
  }

  private static String newKid() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
