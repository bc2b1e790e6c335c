package dev.cumulus.auth.common.web;

import dev.cumulus.platform.context.CumulusContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Success bodies of the seed families auth-service serves (errors are the platform's job). */
public final class Envelopes {

  private Envelopes() {}

  /**
   * Seed 002: {@code {success, message, data, meta:{request_id, timestamp, version}}}; {@code data}
   * is left out when null (logout).
   */
  public static Mono<Map<String, Object>> autoUpdate(String message, Object data) {
    return CumulusContext.requestId()
        .map(
            requestId -> {
              Map<String, Object> meta = new LinkedHashMap<>();
              meta.put("request_id", requestId.orElse(null));
              meta.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
              meta.put("version", "v1");
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("success", true);
              body.put("message", message);
              if (data != null) {
                body.put("data", data);
              }
              body.put("meta", meta);
              return body;
            });
  }

  /** Seed 003: {@code {status:"success", message, data}}. */
  public static Map<String, Object> multiTenant(String message, Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "success");
    body.put("message", message);
    body.put("data", data);
    return body;
  }

  /** Seed 003 lists: {@code data: {results: [...]}}. */
  public static Map<String, Object> multiTenantResults(Object results) {
    return multiTenant("Success", Map.of("results", results));
  }
}
