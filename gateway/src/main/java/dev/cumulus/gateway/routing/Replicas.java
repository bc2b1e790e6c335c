package dev.cumulus.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The replicas of one service ({@code CUMULUS_<KEY>_URL=http://a:8082,http://b:8082}) and which one
 * serves the next request: round-robin over those not set aside. A replica that refused a
 * connection is set aside for a while (passive health: the gateway learns it from real requests, no
 * probes); once that time is over the next pick tries it again, and a new failure sets it aside
 * again. When every replica is set aside, the round-robin one is tried anyway: better one attempt
 * than a certain 503.
 *
 * <p>Per pick: one atomic increment and a volatile read per replica looked at, no lock; the clock
 * is read only while a replica is set aside.
 */
public final class Replicas {

  /** At most this many replicas: those tried for one request are bits of a long. */
  static final int MAX = 64;

  private static final long UP = Long.MIN_VALUE;

  private final String[] bases;
  private final AtomicLongArray downUntil;
  private final AtomicInteger next = new AtomicInteger();
  private final long setAsideNanos;
  private final LongSupplier nanoTime;

  Replicas(List<URI> urls, Duration setAside, LongSupplier nanoTime) {
    if (urls.isEmpty() || urls.size() > MAX) {
      throw new IllegalArgumentException("1 to " + MAX + " replicas, not " + urls.size());
    }
    this.bases = urls.stream().map(Replicas::base).toArray(String[]::new);
    this.downUntil = new AtomicLongArray(urls.size());
    for (int i = 0; i < urls.size(); i++) {
      downUntil.set(i, UP);
    }
    this.setAsideNanos = setAside.toNanos();
    this.nanoTime = nanoTime;
  }

  public Replicas(List<URI> urls, Duration setAside) {
    this(urls, setAside, System::nanoTime);
  }

  /**
   * The URLs of a {@code CUMULUS_<KEY>_URL} setting: one, or several separated by commas (blanks
   * around them ignored); each an absolute http(s) URL with a host.
   */
  public static List<URI> parse(String variable, String setting) {
    List<URI> urls = new ArrayList<>();
    for (String part : setting.split(",")) {
      String trimmed = part.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI url;
      try {
        url = URI.create(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(variable + ": not a URL: " + trimmed, e);
      }
      if (url.getHost() == null
          || !("http".equalsIgnoreCase(url.getScheme())
              || "https".equalsIgnoreCase(url.getScheme()))) {
        throw new IllegalArgumentException(
            variable + ": expected http(s)://host[:port], got " + trimmed);
      }
      urls.add(url);
    }
    if (urls.isEmpty() || urls.size() > MAX) {
      throw new IllegalArgumentException(
          variable + ": 1 to " + MAX + " URLs separated by commas, got '" + setting + "'");
    }
    return urls;
  }

  int size() {
    return bases.length;
  }

  /** The replica for the next request: round-robin, skipping those set aside. */
  int pick() {
    int n = bases.length;
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int k = 0; k < n; k++) {
      int i = start + k < n ? start + k : start + k - n;
      if (available(i)) {
        return i;
      }
    }
    return start;
  }

  /**
   * The replica to retry on after the ones in {@code tried} (bit i: replica i) failed: the next
   * untried one in round-robin order, preferring those not set aside; -1 when all were tried.
   */
  int pickAfter(int failed, long tried) {
    int n = bases.length;
    int fallback = -1;
    for (int k = 1; k < n; k++) {
      int i = (failed + k) % n;
      if ((tried & (1L << i)) != 0) {
        continue;
      }
      if (available(i)) {
        return i;
      }
      if (fallback < 0) {
        fallback = i;
      }
    }
    return fallback;
  }

  /**
   * Sets the replica aside (it refused a connection); true when it was not already aside, so the
   * caller logs the change once.
   */
  boolean setAside(int i) {
    return downUntil.getAndSet(i, nanoTime.getAsLong() + setAsideNanos) == UP;
  }

  /** Whether replica i is set aside right now (for tests and logs). */
  boolean isSetAside(int i) {
    long until = downUntil.get(i);
    return until != UP && until - nanoTime.getAsLong() > 0;
  }

  /** The URL of {@code url} (a request URL built for the route) on replica i. */
  URI target(int i, URI url) {
    String query = url.getRawQuery();
    return URI.create(
        query == null ? bases[i] + url.getRawPath() : bases[i] + url.getRawPath() + "?" + query);
  }

  String base(int i) {
    return bases[i];
  }

  private boolean available(int i) {
    long until = downUntil.get(i);
    if (until == UP) {
      return true;
    }
    if (until - nanoTime.getAsLong() > 0) {
      return false;
    }
    // Its time aside is over: this request tries it (a failure sets it aside again).
    downUntil.compareAndSet(i, until, UP);
    return true;
  }

  /** {@code scheme://host[:port]}: a route URL's path is not used (as with one URL). */
  private static String base(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority();
  }
}
