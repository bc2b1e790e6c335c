package dev.cumulus.function.containers.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Duration;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 001's {@code /healthz} (the process answers) and {@code /readyz} (its database does). */
@RestController
public class EventFlowHealthController {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  private final DatabaseClient db;

  public EventFlowHealthController(DatabaseClient db) {
    this.db = db;
  }

  @GetMapping("/healthz")
  public Map<String, String> health() {
    return Map.of("status", "healthy");
  }

  @GetMapping("/readyz")
  public Mono<Map<String, String>> ready() {
    return db.sql("SELECT 1")
        .fetch()
        .rowsUpdated()
        .timeout(READY_TIMEOUT)
        .thenReturn(Map.of("status", "ready"))
        .onErrorMap(
            failure ->
                new ApiException(ErrorKind.SERVICE_UNAVAILABLE, "database is not reachable"));
  }
}
