package dev.cumulus.platform.web.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.platform.context.CumulusContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import reactor.core.publisher.Mono;

/**
 * Seed 002's success body: {@code {success, message, data, meta:{request_id, timestamp, version}}};
 * {@code data} is left out when null (e.g. logout). Errors: {@code ApiFamily}.
 */
public record AutoUpdateResponse<T>(
    boolean success, String message, @JsonInclude(JsonInclude.Include.NON_NULL) T data, Meta meta) {

  /** Seed 002's {@code meta}. */
  public record Meta(
      @JsonProperty("request_id") String requestId, String timestamp, String version) {}

  /** A success body carrying the request id of the Reactor context. */
  public static <T> Mono<AutoUpdateResponse<T>> of(String message, T data) {
    return CumulusContext.requestId()
        .map(
            requestId ->
                new AutoUpdateResponse<>(
                    true,
                    message,
                    data,
                    new Meta(
                        requestId.orElse(null),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                        "v1")));
  }
}
