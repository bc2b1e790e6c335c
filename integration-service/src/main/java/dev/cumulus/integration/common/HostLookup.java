package dev.cumulus.integration.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Bounded name lookups for outbound calls: the JVM's resolver (hosts file, DNS, any installed
 * resolver provider, and its cache: 30 s for answers, 10 s for failures by default) on a few
 * threads of their own, each lookup given up after a timeout. A DNS server that never answers thus
 * fails a delivery in bounded time and holds at most these threads, never the shared elastic pool.
 * What a lookup returns is not checked here: callers check every address.
 */
final class HostLookup {

  /** Lookups at once; more wait in the queue (and time out there if DNS hangs). */
  private static final int THREADS = 8;

  private static final int QUEUE = 10_000;

  interface Resolver {
    InetAddress[] lookup(String host) throws UnknownHostException;
  }

  private static final Scheduler LOOKUPS =
      Schedulers.newBoundedElastic(THREADS, QUEUE, "outbound-dns", 60, true);

  private final Resolver resolver;
  private final Duration timeout;
  private final Scheduler threads;

  HostLookup(Duration timeout) {
    this(InetAddress::getAllByName, timeout, LOOKUPS);
  }

  HostLookup(Resolver resolver, Duration timeout, Scheduler threads) {
    this.resolver = resolver;
    this.timeout = timeout;
    this.threads = threads;
  }

  /** The host's addresses; {@link UnknownHostException} when none, or none within the timeout. */
  Mono<List<InetAddress>> addresses(String host) {
    return Mono.fromCallable(() -> Arrays.asList(resolver.lookup(host)))
        .subscribeOn(threads)
        .timeout(
            timeout,
            Mono.error(
                () -> new UnknownHostException(host + " did not resolve within " + timeout)));
  }
}
