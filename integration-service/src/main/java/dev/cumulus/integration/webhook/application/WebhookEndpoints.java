package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.common.OutboundHttp;
import dev.cumulus.integration.common.RefusedAddressException;
import dev.cumulus.integration.webhook.config.WebhookProperties;
import dev.cumulus.integration.webhook.domain.CustomHeaders;
import dev.cumulus.integration.webhook.domain.EventFilter;
import dev.cumulus.integration.webhook.domain.WebhookAttempt;
import dev.cumulus.integration.webhook.domain.WebhookEndpoint;
import dev.cumulus.integration.webhook.domain.WebhookSignature;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository;
import dev.cumulus.integration.webhook.persistence.EndpointRepository;
import dev.cumulus.platform.crypto.SecretSealer;
import dev.cumulus.platform.error.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A tenant's webhook endpoints: register, change, rotate the secret, read attempts, replay. */
@Service
public class WebhookEndpoints {

  private final EndpointRepository endpoints;
  private final DeliveryRepository deliveries;
  private final SecretSealer sealer;
  private final OutboundHttp http;
  private final DispatchSignal signal;
  private final WebhookProperties properties;

  public WebhookEndpoints(
      EndpointRepository endpoints,
      DeliveryRepository deliveries,
      SecretSealer sealer,
      OutboundHttp http,
      DispatchSignal signal,
      WebhookProperties properties) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.sealer = sealer;
    this.http = http;
    this.signal = signal;
    this.properties = properties;
  }

  /** What a tenant asks for; null fields keep their current value on update. */
  public record EndpointSpec(
      String url,
      List<String> eventTypes,
      String description,
      Boolean enabled,
      Boolean ordered,
      String secret,
      Map<String, String> headers) {}

  /** An endpoint with its secret, as shown once on creation and rotation. */
  public record WithSecret(WebhookEndpoint endpoint, String secret) {}

  public Mono<WithSecret> create(String tenantId, EndpointSpec spec) {
    if (spec.url() == null || spec.url().isBlank()) {
      return Mono.error(ApiException.badRequest("url is required"));
    }
    List<String> types = spec.eventTypes() == null ? List.of("*") : spec.eventTypes();
    String secret = spec.secret() == null ? WebhookSignature.newSecret() : spec.secret();
    Map<String, String> headers = spec.headers() == null ? Map.of() : spec.headers();
    return validate(spec.url(), types, secret, headers)
        .then(
            Mono.defer(
                () -> {
                  UUID id = UUID.randomUUID();
                  WebhookEndpoint endpoint =
                      new WebhookEndpoint(
                          id,
                          tenantId,
                          spec.url(),
                          spec.description() == null ? "" : spec.description(),
                          List.copyOf(types),
                          spec.enabled() == null || spec.enabled(),
                          Boolean.TRUE.equals(spec.ordered()),
                          null,
                          null,
                          null,
                          null,
                          headers);
                  return endpoints
                      .insert(endpoint, sealer.seal(secret, id.toString()))
                      .map(saved -> new WithSecret(saved, secret));
                }));
  }

  public Flux<WebhookEndpoint> list(String tenantId) {
    return endpoints.list(tenantId);
  }

  public Mono<WebhookEndpoint> get(String tenantId, UUID id) {
    return endpoints
        .find(tenantId, id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Webhook endpoint not found")));
  }

  public Mono<WebhookEndpoint> update(String tenantId, UUID id, EndpointSpec spec) {
    return get(tenantId, id)
        .flatMap(
            current -> {
              WebhookEndpoint changed =
                  new WebhookEndpoint(
                      id,
                      tenantId,
                      spec.url() == null ? current.url() : spec.url(),
                      spec.description() == null ? current.description() : spec.description(),
                      spec.eventTypes() == null
                          ? current.eventTypes()
                          : List.copyOf(spec.eventTypes()),
                      spec.enabled() == null ? current.enabled() : spec.enabled(),
                      spec.ordered() == null ? current.ordered() : spec.ordered(),
                      current.disabledReason(),
                      current.failingSince(),
                      current.createdAt(),
                      current.updatedAt(),
                      spec.headers() == null ? current.headers() : spec.headers());
              return validate(changed.url(), changed.eventTypes(), null, changed.headers())
                  .then(endpoints.update(changed))
                  .doOnNext(saved -> signal.wake());
            });
  }

  public Mono<Void> delete(String tenantId, UUID id) {
    return endpoints
        .delete(tenantId, id)
        .flatMap(
            deleted ->
                deleted
                    ? Mono.<Void>empty()
                    : Mono.error(ApiException.notFound("Webhook endpoint not found")));
  }

  /**
   * A new secret; the previous one keeps signing (a second {@code v1,} signature) for {@code
   * overlap}, so receivers can switch without losing a message.
   */
  public Mono<WithSecret> rotate(String tenantId, UUID id, Duration overlap) {
    Duration keep = overlap == null ? properties.secretOverlap() : overlap;
    if (keep.isNegative()) {
      return Mono.error(ApiException.badRequest("overlapSeconds must not be negative"));
    }
    String secret = WebhookSignature.newSecret();
    return endpoints
        .rotate(tenantId, id, sealer.seal(secret, id.toString()), Instant.now().plus(keep))
        .flatMap(
            rotated ->
                rotated
                    ? get(tenantId, id).map(e -> new WithSecret(e, secret))
                    : Mono.error(ApiException.notFound("Webhook endpoint not found")));
  }

  public Flux<WebhookAttempt> attempts(String tenantId, UUID id, int limit) {
    if (limit < 1 || limit > 1000) {
      return Flux.error(ApiException.badRequest("limit must be between 1 and 1000"));
    }
    return get(tenantId, id).flatMapMany(e -> deliveries.attempts(e.id(), limit));
  }

  /** Sends one message again, with its original webhook-id. */
  public Mono<Long> replay(String tenantId, UUID id, String messageId) {
    return get(tenantId, id)
        .flatMap(e -> deliveries.replay(e.id(), messageId))
        .flatMap(
            found ->
                found
                    ? Mono.just(1L)
                    : Mono.error(
                        ApiException.notFound(
                            "Message " + messageId + " was not sent to this endpoint")))
        .doOnNext(n -> signal.wake());
  }

  /** Sends every message of [since, until) again; how many. */
  public Mono<Long> replay(String tenantId, UUID id, Instant since, Instant until) {
    if (!since.isBefore(until)) {
      return Mono.error(ApiException.badRequest("since must be before until"));
    }
    return get(tenantId, id)
        .flatMap(e -> deliveries.replay(e.id(), since, until))
        .doOnNext(n -> signal.wake());
  }

  private Mono<Void> validate(
      String url, List<String> types, String secret, Map<String, String> headers) {
    if (types.isEmpty()) {
      return Mono.error(ApiException.badRequest("events must name at least one event type"));
    }
    String invalid = EventFilter.firstInvalid(types);
    if (invalid != null) {
      return Mono.error(ApiException.badRequest("Invalid event type pattern: " + invalid));
    }
    String badHeaders = CustomHeaders.problem(headers);
    if (badHeaders != null) {
      return Mono.error(ApiException.badRequest(badHeaders));
    }
    if (secret != null && !validSecret(secret)) {
      return Mono.error(
          ApiException.badRequest("secret must be whsec_ followed by base64 of 24 to 64 bytes"));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Mono.error(ApiException.badRequest("url is not a valid URL"));
    }
    return http.check(uri)
        .onErrorMap(
            RefusedAddressException.class,
            e -> ApiException.badRequest("url is not allowed: " + e.getMessage()))
        .then();
  }

  private static boolean validSecret(String secret) {
    if (!secret.startsWith(WebhookSignature.PREFIX)) {
      return false;
    }
    try {
      int length =
          Base64.getDecoder().decode(secret.substring(WebhookSignature.PREFIX.length())).length;
      return length >= 24 && length <= 64;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
