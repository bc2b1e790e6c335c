package dev.cumulus.updater.update.application;

import dev.cumulus.updater.container.domain.HealthCheck;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.update.config.UpdateProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Waits for a freshly started container to prove itself: its health-check command (run inside it,
 * Docker's semantics: healthy on the first pass, unhealthy after {@code retries} failures in a row)
 * or, without one, that it keeps running for the settle time. A container that exits fails at once.
 * Polls with timers, never a sleeping thread.
 */
@Component
public class HealthGate {

  private final ContainerEngine engine;
  private final UpdateProperties properties;

  public HealthGate(ContainerEngine engine, UpdateProperties properties) {
    this.engine = engine;
    this.properties = properties;
  }

  /** The verdict: healthy, or why not. */
  public record Verdict(boolean healthy, String reason) {}

  public Mono<Verdict> await(String dockerId, HealthCheck check, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    if (check == null || !check.active()) {
      Duration settle =
          properties.settleTime().compareTo(timeout) < 0 ? properties.settleTime() : timeout;
      return Mono.delay(settle)
          .then(stillRunning(dockerId))
          .map(
              running ->
                  running
                      ? new Verdict(true, "kept running for " + settle.toSeconds() + "s")
                      : new Verdict(false, "the container stopped"));
    }
    return probe(dockerId, check, deadline, 0, true);
  }

  private Mono<Verdict> probe(
      String dockerId, HealthCheck check, Instant deadline, int failures, boolean first) {
    Duration wait = first ? Duration.ofMillis(300) : Duration.ofSeconds(check.interval());
    return Mono.delay(wait)
        .then(stillRunning(dockerId))
        .flatMap(
            running -> {
              if (!running) {
                return Mono.just(new Verdict(false, "the container stopped"));
              }
              return engine
                  .exec(dockerId, List.copyOf(check.command()), Duration.ofSeconds(check.timeout()))
                  .flatMap(
                      result -> {
                        if (result.succeeded()) {
                          return Mono.just(new Verdict(true, "health check passed"));
                        }
                        int failed = failures + 1;
                        if (failed >= check.retries()) {
                          return Mono.just(
                              new Verdict(
                                  false,
                                  "health check failed "
                                      + failed
                                      + " times in a row (exit "
                                      + result.exitCode()
                                      + ")"));
                        }
                        if (Instant.now().plusSeconds(check.interval()).isAfter(deadline)) {
                          return Mono.just(
                              new Verdict(false, "not healthy within the health check timeout"));
                        }
                        return probe(dockerId, check, deadline, failed, false);
                      });
            });
  }

  private Mono<Boolean> stillRunning(String dockerId) {
    return engine.inspect(dockerId).map(c -> c.running()).defaultIfEmpty(false);
  }
}
