package dev.cumulus.function.functions.application;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cumulus.function.functions.domain.Function;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The functions recently invoked, by instance, name and qualifier, so that a warm invoke does not
 * read (and unseal) its function's row each time. This replica forgets a function as soon as it
 * changes it (configuration, code, alias, deletion); a change made through another replica is seen
 * here within {@code ttl}, as Lambda's own updates take a moment to reach every invoke.
 */
final class InvokeTargets {

  private record Key(String serviceId, String name, String qualifier) {}

  private final AsyncCache<Key, Function> recent;

  InvokeTargets(Duration ttl) {
    this(ttl, Ticker.systemTicker());
  }

  InvokeTargets(Duration ttl, Ticker ticker) {
    this.recent =
        Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).ticker(ticker).buildAsync();
  }

  /** The cached function, or {@code load}'s (a failure, such as not found, is not kept). */
  Mono<Function> get(
      String serviceId, String name, String qualifier, Supplier<Mono<Function>> load) {
    Key key = new Key(serviceId, name, qualifier);
    return Mono.fromFuture(() -> recent.get(key, (k, executor) -> load.get().toFuture()), true);
  }

  /** Forgets every qualifier of a function (it changed or went). */
  void forget(String serviceId, String name) {
    recent.asMap().keySet().removeIf(k -> k.serviceId().equals(serviceId) && k.name().equals(name));
  }

  /** Forgets every function of an instance (it was deleted). */
  void forgetAll(String serviceId) {
    recent.asMap().keySet().removeIf(k -> k.serviceId().equals(serviceId));
  }
}
