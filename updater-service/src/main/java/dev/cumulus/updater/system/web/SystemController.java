package dev.cumulus.updater.system.web;

import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import dev.cumulus.updater.common.domain.Durations;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.engine.domain.EngineInfo;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 002's {@code GET /api/health} (public) and {@code GET /api/system/info}. */
@RestController
class SystemController {

  static final String VERSION = "2.0.0";

  private final DatabaseClient db;
  private final ContainerEngine engine;

  SystemController(DatabaseClient db, ContainerEngine engine) {
    this.db = db;
    this.engine = engine;
  }

  @GetMapping("/api/health")
  Mono<ResponseEntity<AutoUpdateResponse<Map<String, Object>>>> health() {
    Mono<Boolean> database =
        db.sql("SELECT 1").map(row -> true).one().onErrorReturn(false).defaultIfEmpty(false);
    return Mono.zip(database, engine.ping())
        .flatMap(
            checks -> {
              boolean healthy = checks.getT1() && checks.getT2();
              Map<String, Object> components = new LinkedHashMap<>();
              components.put("database", checks.getT1() ? "healthy" : "unhealthy");
              components.put("docker", checks.getT2() ? "healthy" : "unhealthy");
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("status", healthy ? "ok" : "degraded");
              data.put("version", VERSION);
              data.put(
                  "timestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
              data.put(
                  "uptime",
                  Durations.format(
                      Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())));
              data.put("components", components);
              return AutoUpdateResponse.of(
                      healthy ? "System is healthy" : "System is degraded", data)
                  .map(
                      body ->
                          ResponseEntity.status(
                                  healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                              .body(body));
            });
  }

  @GetMapping("/api/system/info")
  Mono<AutoUpdateResponse<Map<String, Object>>> info() {
    return engine
        .info()
        .map(java.util.Optional::of)
        .onErrorResume(e -> Mono.just(java.util.Optional.empty()))
        .flatMap(
            found -> {
              EngineInfo e = found.orElse(null);
              Runtime runtime = Runtime.getRuntime();
              Map<String, Object> system = new LinkedHashMap<>();
              system.put("os", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT));
              system.put("arch", e != null ? e.arch() : System.getProperty("os.arch"));
              system.put("cpu_cores", e != null ? e.cpus() : runtime.availableProcessors());
              system.put(
                  "memory_total",
                  e != null ? dev.cumulus.updater.common.domain.Sizes.format(e.memory()) : null);
              Map<String, Object> features = new LinkedHashMap<>();
              features.put("monitoring", true);
              features.put("notifications", true);
              features.put("auto_updates", true);
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("version", VERSION);
              data.put("build_date", null);
              data.put("java_version", System.getProperty("java.version"));
              data.put("docker_version", e == null ? null : e.version());
              data.put("docker_api_version", e == null ? null : e.apiVersion());
              data.put("system", system);
              data.put("features", features);
              return AutoUpdateResponse.of("System information retrieved successfully", data);
            });
  }
}
