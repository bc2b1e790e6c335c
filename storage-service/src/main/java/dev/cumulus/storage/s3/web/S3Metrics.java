package dev.cumulus.storage.s3.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code cumulus.s3.requests}: a timer per S3 operation ({@code api=PutObject}, ...) and response
 * status, from the request's arrival until its response status is known (a GET's body streams after
 * that; {@code http.server.requests} times whole exchanges). Requests for operations this endpoint
 * does not implement count as {@code api=NotImplemented}.
 */
final class S3Metrics {

  static final String NAME = "cumulus.s3.requests";
  static final String NOT_IMPLEMENTED = "NotImplemented";

  private record Key(String api, int status) {}

  private final MeterRegistry registry;

  /** Timers are looked up per request: a map of their own keeps that cheap. */
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  S3Metrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String api, int status, long startNanos) {
    timers
        .computeIfAbsent(new Key(api, status), this::timer)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(Key key) {
    return Timer.builder(NAME)
        .description("S3 requests by operation, until the response status is known")
        .tag("api", key.api())
        .tag("status", Integer.toString(key.status()))
        .register(registry);
  }
}
