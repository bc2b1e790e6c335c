package dev.cumulus.updater.container.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import dev.cumulus.updater.common.application.Permissions;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.engine.domain.LogLine;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seed 002's {@code GET /api/containers/{id}/logs}: the last lines in the envelope, or with {@code
 * follow=true} a live Server-Sent Events stream (one {@code log} event per line) until the client
 * disconnects.
 */
@RestController
class ContainerLogsController {

  private static final int MAX_LINES = 10_000;

  private final ContainerService containers;
  private final ContainerEngine engine;

  ContainerLogsController(ContainerService containers, ContainerEngine engine) {
    this.containers = containers;
    this.engine = engine;
  }

  record LogQuery(int lines, Instant since, Instant until, boolean timestamps, String level) {}

  @GetMapping("/api/containers/{id}/logs")
  Mono<AutoUpdateResponse<Map<String, Object>>> logs(
      @PathVariable long id,
      @RequestParam(defaultValue = "100") int lines,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until,
      @RequestParam(defaultValue = "true") boolean timestamps,
      @RequestParam(required = false) String level) {
    return recent(id, query(lines, since, until, timestamps, level));
  }

  /** {@code follow=true}: the last lines, then each new one as it is written. */
  @GetMapping(
      path = "/api/containers/{id}/logs",
      params = "follow=true",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Mono<ResponseEntity<Flux<ServerSentEvent<Map<String, Object>>>>> follow(
      @PathVariable long id,
      @RequestParam(defaultValue = "100") int lines,
      @RequestParam(required = false) String since,
      @RequestParam(defaultValue = "true") boolean timestamps,
      @RequestParam(required = false) String level) {
    LogQuery query = query(lines, since, null, timestamps, level);
    // Access and existence are decided before the stream starts, so they keep their envelope.
    return Permissions.require(Permissions.CONTAINER_READ)
        .flatMap(caller -> containers.engineContainer(caller.tenantId(), id))
        .map(
            found ->
                ResponseEntity.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(
                        engine
                            .logs(found.id(), query.lines(), query.since(), null, true)
                            .map(line -> entry(line, query.timestamps()))
                            .filter(entry -> matches(entry, query.level()))
                            .map(entry -> ServerSentEvent.builder(entry).event("log").build())
                            // A comment first: the response starts now, not at the next line.
                            .startWith(
                                ServerSentEvent.<Map<String, Object>>builder()
                                    .comment("following")
                                    .build())));
  }

  private Mono<AutoUpdateResponse<Map<String, Object>>> recent(long id, LogQuery query) {
    return Permissions.require(Permissions.CONTAINER_READ)
        .flatMap(caller -> containers.engineContainer(caller.tenantId(), id))
        .flatMapMany(
            found -> engine.logs(found.id(), query.lines(), query.since(), query.until(), false))
        .map(line -> entry(line, query.timestamps()))
        .filter(entry -> matches(entry, query.level()))
        .collectList()
        .flatMap(
            entries -> {
              Map<String, Object> meta = new LinkedHashMap<>();
              meta.put("total_lines", entries.size());
              meta.put("truncated", entries.size() >= query.lines());
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("logs", entries);
              data.put("meta", meta);
              return AutoUpdateResponse.of("Container logs retrieved successfully", data);
            });
  }

  private static LogQuery query(
      int lines, String since, String until, boolean timestamps, String level) {
    if (lines < 1 || lines > MAX_LINES) {
      throw ApiException.badRequest("lines must be between 1 and " + MAX_LINES);
    }
    return new LogQuery(
        lines,
        instant("since", since),
        instant("until", until),
        timestamps,
        level == null ? null : level.toLowerCase(Locale.ROOT));
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notIso) {
      throw ApiException.badRequest(name + " must be an ISO 8601 timestamp");
    }
  }

  private static Map<String, Object> entry(LogLine line, boolean timestamps) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (timestamps) {
      entry.put("timestamp", line.timestamp());
    }
    entry.put("level", level(line));
    entry.put("message", line.message());
    entry.put("source", line.source());
    return entry;
  }

  /** The level a line names in its first words, else info for stdout and error for stderr. */
  static String level(LogLine line) {
    String head = line.message().length() > 40 ? line.message().substring(0, 40) : line.message();
    String upper = head.toUpperCase(Locale.ROOT);
    for (String level : List.of("ERROR", "WARN", "INFO", "DEBUG")) {
      if (upper.contains(level)) {
        return level.equals("WARN") ? "warning" : level.toLowerCase(Locale.ROOT);
      }
    }
    return "stderr".equals(line.source()) ? "error" : "info";
  }

  private static boolean matches(Map<String, Object> entry, String level) {
    return level == null || level.equals(entry.get("level"));
  }
}
