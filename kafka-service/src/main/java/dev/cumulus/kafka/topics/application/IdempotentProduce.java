package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.persistence.ProduceKeyRepository;
import dev.cumulus.platform.error.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Produce with an {@code Idempotency-Key}: the first request with a key runs and records its
 * answer; a retry with the same key and the same request gets the recorded answer and produces
 * nothing; the same key with another request is refused (400), as is a retry while the first still
 * runs (409). The key is claimed in PostgreSQL, so this holds across replicas. Keys live 24 hours.
 */
@Service
public class IdempotentProduce implements DisposableBean {

  static final Duration TTL = Duration.ofHours(24);

  private final ProduceKeyRepository keys;
  private final Disposable cleanup;

  public IdempotentProduce(ProduceKeyRepository keys) {
    this.keys = keys;
    this.cleanup =
        Flux.interval(Duration.ofMinutes(10), Duration.ofHours(1), Schedulers.parallel())
            .concatMap(tick -> keys.deleteOlderThan(TTL).onErrorResume(e -> Mono.empty()))
            .subscribe();
  }

  /** A recorded or a fresh answer. */
  public record Answer(String json, boolean replayed) {}

  /**
   * @param produce produces and renders the answer as JSON; runs only for a new key
   */
  public Mono<Answer> once(
      String serviceId, String key, String requestHash, Supplier<Mono<String>> produce) {
    return once(serviceId, key, requestHash, produce, answer -> true);
  }

  /**
   * As {@link #once(String, String, String, Supplier)}, for a produce that answers even when it
   * failed: an answer {@code produced} rejects (nothing was produced) releases the key, so a retry
   * runs again.
   */
  public Mono<Answer> once(
      String serviceId,
      String key,
      String requestHash,
      Supplier<Mono<String>> produce,
      Predicate<String> produced) {
    if (key.isBlank() || key.length() > 255) {
      return Mono.error(KafkaErrors.invalidParameter("Idempotency-Key", "1 to 255 characters"));
    }
    return keys.claim(serviceId, key, requestHash, TTL)
        .flatMap(
            claimed ->
                claimed
                    ? Mono.defer(produce)
                        .flatMap(
                            json ->
                                produced.test(json)
                                    ? keys.answer(serviceId, key, json).thenReturn(json)
                                    : keys.release(serviceId, key).thenReturn(json))
                        .onErrorResume(e -> keys.release(serviceId, key).then(Mono.error(e)))
                        .map(json -> new Answer(json, false))
                    : keys.find(serviceId, key).flatMap(entry -> replay(entry, requestHash)));
  }

  /** The fingerprint of a request, to tell a retry from another request under the same key. */
  public static String requestHash(String request) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Mono<Answer> replay(ProduceKeyRepository.Entry entry, String requestHash) {
    if (!entry.requestHash().equals(requestHash)) {
      return Mono.error(
          KafkaErrors.of(
              ErrorKind.BAD_REQUEST,
              "IdempotencyKeyReused",
              "This Idempotency-Key was used with another request"));
    }
    if (entry.response() == null) {
      return Mono.error(
          KafkaErrors.of(
              ErrorKind.CONFLICT,
              "IdempotencyKeyInProgress",
              "A request with this Idempotency-Key is still running; retry later"));
    }
    return Mono.just(new Answer(entry.response(), true));
  }

  @Override
  public void destroy() {
    cleanup.dispose();
  }
}
