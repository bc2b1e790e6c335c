package dev.cumulus.integration.webhook.web;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.integration.webhook.application.WebhookEndpoints;
import dev.cumulus.integration.webhook.application.WebhookEndpoints.EndpointSpec;
import dev.cumulus.integration.webhook.application.WebhookEndpoints.WithSecret;
import dev.cumulus.integration.webhook.domain.WebhookEndpoint;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Webhook endpoints of the caller's tenant: seed 000's "Webhooks" at {@code /api/webhooks}, and
 * seed 001's {@code POST /v1/webhooks} on the same handlers. Bodies answer with the resource
 * itself, as both families do.
 */
@RestController
@RequestMapping({"/api/webhooks", "/v1/webhooks"})
public class WebhookController {

  private final WebhookEndpoints endpoints;

  public WebhookController(WebhookEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** The request body; seed 002's {@code webhook_url} and {@code events} are accepted as well. */
  public record EndpointRequest(
      @JsonAlias("webhook_url") String url,
      @JsonAlias({"eventTypes", "filterTypes"}) List<String> events,
      String description,
      Boolean enabled,
      @JsonAlias("in_order") Boolean ordered,
      String secret,
      Map<String, String> headers) {

    EndpointSpec spec() {
      return new EndpointSpec(url, events, description, enabled, ordered, secret, headers);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EndpointView(
      String id,
      String url,
      String description,
      List<String> events,
      boolean enabled,
      boolean ordered,
      String disabledReason,
      Instant failingSince,
      Instant createdAt,
      Instant updatedAt,
      Map<String, String> headers,
      String secret) {

    static EndpointView of(WebhookEndpoint e, String secret) {
      return new EndpointView(
          e.id().toString(),
          e.url(),
          e.description(),
          e.eventTypes(),
          e.enabled(),
          e.ordered(),
          e.disabledReason(),
          e.failingSince(),
          e.createdAt(),
          e.updatedAt(),
          e.headers(),
          secret);
    }

    static EndpointView of(WithSecret created) {
      return of(created.endpoint(), created.secret());
    }
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  public Mono<EndpointView> create(@RequestBody EndpointRequest request) {
    return tenant().flatMap(t -> endpoints.create(t, request.spec())).map(EndpointView::of);
  }

  @GetMapping
  public Mono<Map<String, Object>> list() {
    return tenant()
        .flatMap(t -> endpoints.list(t).map(e -> EndpointView.of(e, null)).collectList())
        .map(all -> Map.of("webhooks", all, "count", all.size()));
  }

  @GetMapping("/{id}")
  public Mono<EndpointView> get(@PathVariable String id) {
    return tenant().flatMap(t -> endpoints.get(t, uuid(id))).map(e -> EndpointView.of(e, null));
  }

  @PatchMapping("/{id}")
  public Mono<EndpointView> patch(@PathVariable String id, @RequestBody EndpointRequest request) {
    if (request.secret() != null) {
      return Mono.error(ApiException.badRequest("Use rotate-secret to change the secret"));
    }
    return tenant()
        .flatMap(t -> endpoints.update(t, uuid(id), request.spec()))
        .map(e -> EndpointView.of(e, null));
  }

  @PutMapping("/{id}")
  public Mono<EndpointView> put(@PathVariable String id, @RequestBody EndpointRequest request) {
    return patch(id, request);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public Mono<Void> delete(@PathVariable String id) {
    return tenant().flatMap(t -> endpoints.delete(t, uuid(id)));
  }

  public record RotateRequest(Long overlapSeconds) {}

  /** A new secret; the old one keeps signing alongside for {@code overlapSeconds}. */
  @PostMapping("/{id}/rotate-secret")
  public Mono<EndpointView> rotate(
      @PathVariable String id, @RequestBody(required = false) RotateRequest request) {
    Duration overlap =
        request == null || request.overlapSeconds() == null
            ? null
            : Duration.ofSeconds(request.overlapSeconds());
    return tenant().flatMap(t -> endpoints.rotate(t, uuid(id), overlap)).map(EndpointView::of);
  }

  @GetMapping("/{id}/attempts")
  public Mono<Map<String, Object>> attempts(
      @PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
    return tenant()
        .flatMap(t -> endpoints.attempts(t, uuid(id), limit).collectList())
        .map(all -> Map.<String, Object>of("attempts", all, "count", all.size()));
  }

  /** {@code {"messageId": ...}} for one message, or {@code {"since": ..., "until": ...}}. */
  public record ReplayRequest(String messageId, String since, String until) {}

  @PostMapping("/{id}/replay")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Mono<Map<String, Object>> replay(
      @PathVariable String id, @RequestBody ReplayRequest request) {
    Mono<Long> replayed;
    if (request.messageId() != null) {
      replayed = tenant().flatMap(t -> endpoints.replay(t, uuid(id), request.messageId()));
    } else if (request.since() != null) {
      Instant since = instant("since", request.since());
      Instant until = request.until() == null ? Instant.now() : instant("until", request.until());
      replayed = tenant().flatMap(t -> endpoints.replay(t, uuid(id), since, until));
    } else {
      return Mono.error(ApiException.badRequest("Give messageId, or since (and until)"));
    }
    return replayed.map(n -> Map.of("replayed", n));
  }

  private static Mono<String> tenant() {
    return CumulusPrincipal.current()
        .flatMap(
            p ->
                p.tenantId() == null
                    ? Mono.error(ApiException.forbidden("The caller belongs to no tenant"))
                    : Mono.just(p.tenantId()));
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("Webhook endpoint not found");
    }
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(field + " must be an ISO-8601 instant");
    }
  }
}
