package dev.cumulus.integration.inbound.application;

import dev.cumulus.integration.common.IntegrationEvents;
import dev.cumulus.integration.common.OutboundHttp;
import dev.cumulus.integration.common.RefusedAddressException;
import dev.cumulus.integration.common.SeedSignature;
import dev.cumulus.integration.inbound.domain.HealthCheck;
import dev.cumulus.integration.inbound.domain.InboundEvent;
import dev.cumulus.integration.inbound.domain.IntegrationSource;
import dev.cumulus.integration.inbound.persistence.InboundRepository;
import dev.cumulus.integration.inbound.persistence.SourceRepository;
import dev.cumulus.integration.inbound.persistence.SourceRepository.SealedSource;
import dev.cumulus.platform.crypto.SecretSealer;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.events.Outbox;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Seed 003's integrations: the tenant's sources, the webhooks they send (signature checked before
 * anything is stored; stored, then processed into a platform event in the same transaction), and
 * their health.
 */
@Service
public class IntegrationSources {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
  private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

  private final SourceRepository sources;
  private final InboundRepository inbound;
  private final SecretSealer sealer;
  private final OutboundHttp http;
  private final Outbox outbox;
  private final TransactionalOperator tx;
  private final ObjectMapper json;

  public IntegrationSources(
      SourceRepository sources,
      InboundRepository inbound,
      SecretSealer sealer,
      OutboundHttp http,
      Outbox outbox,
      TransactionalOperator tx,
      ObjectMapper json) {
    this.sources = sources;
    this.inbound = inbound;
    this.sealer = sealer;
    this.http = http;
    this.outbox = outbox;
    this.tx = tx;
    this.json = json;
  }

  /** What a tenant registers; {@code secret} and {@code apiKey} optional. */
  public record SourceSpec(
      String name, String baseUrl, Boolean signatureRequired, String secret, String apiKey) {}

  public record Created(IntegrationSource source, String secret) {}

  public Mono<Created> create(String tenantId, String tenantDomain, SourceSpec spec) {
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      return Mono.error(
          ApiException.badRequest("name: lower-case letters, digits, '.', '_' or '-' (up to 63)"));
    }
    if (spec.baseUrl() == null || spec.baseUrl().isBlank()) {
      return Mono.error(ApiException.badRequest("base_url: This field is required."));
    }
    if (spec.secret() != null && spec.secret().length() < 16) {
      return Mono.error(ApiException.badRequest("secret: at least 16 characters"));
    }
    UUID id = UUID.randomUUID();
    IntegrationSource source =
        new IntegrationSource(
            id,
            tenantId,
            tenantDomain == null ? tenantId : tenantDomain,
            spec.name(),
            spec.baseUrl(),
            spec.signatureRequired() == null || spec.signatureRequired(),
            null);
    String secret = spec.secret() == null ? newSecret() : spec.secret();
    Mono<Void> reachable = source.isMockSandbox() ? Mono.empty() : checkUrl(spec.baseUrl());
    return reachable
        .then(
            sources.insert(
                source,
                sealer.seal(secret, id.toString()),
                spec.apiKey() == null ? null : sealer.seal(spec.apiKey(), id + "/api-key")))
        .flatMap(
            inserted ->
                inserted
                    ? sources.find(tenantId, id).map(s -> new Created(s.source(), secret))
                    : Mono.error(
                        ApiException.conflict(
                            "A service named " + spec.name() + " exists already")));
  }

  public Flux<IntegrationSource> list(String tenantId) {
    return sources.list(tenantId);
  }

  public Mono<IntegrationSource> get(String tenantId, UUID id) {
    return sealed(tenantId, id).map(SealedSource::source);
  }

  /** The source's API key for sync calls, or null. */
  public Mono<SyncTarget> syncTarget(String tenantId, UUID id) {
    return sealed(tenantId, id)
        .map(
            s ->
                new SyncTarget(
                    s.source(),
                    s.apiKey() == null
                        ? null
                        : sealer.open(s.apiKey(), s.source().id() + "/api-key")));
  }

  /** Where a sync job reads from. */
  public record SyncTarget(IntegrationSource source, String apiKey) {}

  public Mono<Void> delete(String tenantId, UUID id) {
    return sources
        .delete(tenantId, id)
        .flatMap(
            d -> d ? Mono.<Void>empty() : Mono.error(ApiException.notFound("Service not found")));
  }

  /**
   * A webhook from source {@code name} of the tenant with domain {@code domain}: the signature is
   * checked first (401, nothing stored), then the event is stored and processed into a {@code
   * inbound-webhook.received} platform event, atomically.
   *
   * @return the stored event's id
   */
  public Mono<UUID> receive(
      String domain, String name, String eventType, byte[] body, String signature) {
    if (domain == null || domain.isBlank()) {
      return Mono.error(ApiException.badRequest("X-Tenant-Domain header is required"));
    }
    if (eventType == null || !EVENT_TYPE.matcher(eventType).matches()) {
      return Mono.error(ApiException.badRequest("X-Event-Type header is required"));
    }
    return sources
        .findByDomain(domain, name)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Unknown service '" + name + "'")))
        .flatMap(
            s -> {
              IntegrationSource source = s.source();
              String secret = sealer.open(s.secret(), source.id().toString());
              boolean signed = signature != null && !signature.isBlank();
              if ((signed || source.signatureRequired())
                  && !SeedSignature.verify(secret, body, signature)) {
                return Mono.error(ApiException.unauthorized("Invalid webhook signature"));
              }
              JsonNode payload;
              try {
                payload = json.readTree(body);
              } catch (RuntimeException e) {
                return Mono.error(ApiException.badRequest("The body must be JSON"));
              }
              if (payload == null || !payload.isObject()) {
                return Mono.error(ApiException.badRequest("The body must be a JSON object"));
              }
              UUID id = UUID.randomUUID();
              return tx.transactional(
                  inbound
                      .insertEvent(
                          id,
                          source.tenantId(),
                          source.id(),
                          eventType,
                          payload.toString(),
                          "completed")
                      .then(received(source, id, eventType, payload))
                      .thenReturn(id));
            });
  }

  private Mono<Void> received(
      IntegrationSource source, UUID id, String eventType, JsonNode payload) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("eventId", id.toString());
    data.put("service", source.name());
    data.put("eventType", eventType);
    data.put("payload", payload);
    return outbox
        .appendForTenant(
            source.tenantId(),
            IntegrationEvents.TOPIC,
            id.toString(),
            "inbound-webhook",
            "received",
            data)
        .then();
  }

  public Flux<InboundEvent> events(String tenantId, int limit) {
    if (limit < 1 || limit > 500) {
      return Flux.error(ApiException.badRequest("limit must be between 1 and 500"));
    }
    return inbound.events(tenantId, limit);
  }

  /** Checks every source now ({@code <base_url>/health/}, 5 s at most each) and records it. */
  public Flux<HealthCheck> health(String tenantId) {
    return sources.list(tenantId).flatMap(this::check, 8);
  }

  private Mono<HealthCheck> check(IntegrationSource source) {
    if (source.isMockSandbox()) {
      return inbound.saveHealth(source.id(), source.name(), "healthy", 0.0, "");
    }
    long start = System.nanoTime();
    String url = source.baseUrl().replaceAll("/+$", "") + "/health/";
    return http.check(URI.create(url))
        .flatMap(
            u ->
                http.client()
                    .get()
                    .uri(u)
                    .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())))
        .timeout(HEALTH_TIMEOUT)
        .map(status -> status >= 200 && status < 300 ? "" : "HTTP " + status)
        .onErrorResume(
            e -> Mono.just(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))
        .flatMap(
            error ->
                inbound.saveHealth(
                    source.id(),
                    source.name(),
                    error.isEmpty() ? "healthy" : "unhealthy",
                    (System.nanoTime() - start) / 1e9,
                    error));
  }

  private Mono<SealedSource> sealed(String tenantId, UUID id) {
    return sources
        .find(tenantId, id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Service not found")));
  }

  private Mono<Void> checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return Mono.error(ApiException.badRequest("base_url: Enter a valid URL."));
    }
    return http.check(uri)
        .onErrorMap(
            RefusedAddressException.class,
            e -> ApiException.badRequest("base_url is not allowed: " + e.getMessage()))
        .then();
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "isec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
