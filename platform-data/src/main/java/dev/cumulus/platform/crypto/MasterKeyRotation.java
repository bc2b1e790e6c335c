package dev.cumulus.platform.crypto;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The second half of a master key rotation: once a service starts with a new master key and the old
 * one among its previous keys, this seals every value the old key sealed again under the new one,
 * in the background after start-up (reads work meanwhile: the previous keys still open them). When
 * it logs that nothing is left under a previous key, the previous keys can be removed from
 * configuration. Several replicas may run it at once: a value is replaced only if it has not
 * changed since it was read.
 */
public final class MasterKeyRotation implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

  /** One stored value sealed under the master key, with the associated data it was sealed with. */
  public record Sealed(String id, String associatedData, byte[] ciphertext) {}

  /** A column of sealed values: how to read them all and replace one. */
  public interface SealedValues {

    /** What the values are, for logs ("signing keys"). */
    String name();

    Flux<Sealed> all();

    /**
     * Stores {@code resealed} unless the row no longer holds {@code stored}: emits whether it did.
     */
    Mono<Boolean> replace(Sealed stored, byte[] resealed);
  }

  /**
   * What one run did to one column.
   *
   * @param resealed values moved from a previous key to the current one
   * @param current values the current key had sealed already (or that changed meanwhile)
   * @param unreadable values no configured key opens (logged by id)
   */
  public record Outcome(String name, long resealed, long current, long unreadable) {}

  private final MasterKey key;
  private final String previousSetting;
  private final List<SealedValues> columns;

  /**
   * @param previousSetting the setting holding the previous keys, named in the final log line
   */
  public MasterKeyRotation(MasterKey key, String previousSetting, List<SealedValues> columns) {
    this.key = key;
    this.previousSetting = previousSetting;
    this.columns = List.copyOf(columns);
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    run()
        .subscribe(
            outcomes -> {},
            error ->
                log.error("Master key rotation stopped; it runs again on the next start", error));
  }

  /** Reseals every column; nothing to do (empty outcomes) without previous keys. */
  public Mono<List<Outcome>> run() {
    if (!key.hasPrevious()) {
      return Mono.just(List.of());
    }
    return Flux.fromIterable(columns)
        .concatMap(this::reseal)
        .collectList()
        .doOnNext(
            outcomes -> {
              if (outcomes.stream().allMatch(o -> o.unreadable() == 0)) {
                log.info(
                    "Master key rotation: every value is sealed under the current master key;"
                        + " the previous keys ({}) can be removed",
                    previousSetting);
              }
            });
  }

  private Mono<Outcome> reseal(SealedValues values) {
    AtomicLong resealed = new AtomicLong();
    AtomicLong current = new AtomicLong();
    AtomicLong unreadable = new AtomicLong();
    // Read the whole column first (a few rows per tenant or key): updating while a query still
    // streams would need a second connection for every row.
    return values
        .all()
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .concatMap(
            stored -> {
              Optional<byte[]> fresh;
              try {
                fresh = key.reencrypt(stored.ciphertext(), stored.associatedData());
              } catch (IllegalStateException e) {
                unreadable.incrementAndGet();
                log.error(
                    "Master key rotation: {} {} opens under no configured master key",
                    values.name(),
                    stored.id());
                return Mono.empty();
              }
              if (fresh.isEmpty()) {
                current.incrementAndGet();
                return Mono.empty();
              }
              return values
                  .replace(stored, fresh.get())
                  .doOnNext(done -> (done ? resealed : current).incrementAndGet());
            })
        .then(
            Mono.fromSupplier(
                () -> new Outcome(values.name(), resealed.get(), current.get(), unreadable.get())))
        .doOnNext(
            o ->
                log.info(
                    "Master key rotation: {}: {} sealed again under the current key, {} already"
                        + " under it, {} unreadable",
                    o.name(),
                    o.resealed(),
                    o.current(),
                    o.unreadable()));
  }
}
