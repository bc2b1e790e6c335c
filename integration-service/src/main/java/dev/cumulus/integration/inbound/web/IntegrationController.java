package dev.cumulus.integration.inbound.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.integration.common.TenantScope;
import dev.cumulus.integration.inbound.application.IntegrationSources;
import dev.cumulus.integration.inbound.application.IntegrationSources.SourceSpec;
import dev.cumulus.integration.inbound.domain.HealthCheck;
import dev.cumulus.integration.inbound.domain.InboundEvent;
import dev.cumulus.integration.inbound.domain.IntegrationSource;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Seed 003's integration endpoints (webhook receiver, webhook events, health) and, beyond the seed,
 * the sources themselves ({@code /api/integrations/services/}), which the seed presupposes. The
 * receiver needs no token: the source's signature (or, for a source registered without one, its
 * name and the tenant domain) identifies it.
 */
@RestController
public class IntegrationController {

  private final IntegrationSources sources;
  private final ObjectMapper json;

  public IntegrationController(IntegrationSources sources, ObjectMapper json) {
    this.sources = sources;
    this.json = json;
  }

  public record SourceRequest(
      String name,
      @JsonProperty("base_url") String baseUrl,
      @JsonProperty("signature_required") Boolean signatureRequired,
      String secret,
      @JsonProperty("api_key") String apiKey) {}

  @PostMapping({"/api/integrations/services/", "/api/integrations/services"})
  @ResponseStatus(HttpStatus.CREATED)
  public Mono<MultiTenantResponse<Map<String, Object>>> createSource(
      @RequestBody SourceRequest request,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMap(
            p ->
                sources.create(
                    p.tenantId(),
                    p.tenantDomain(),
                    new SourceSpec(
                        request.name(),
                        request.baseUrl(),
                        request.signatureRequired(),
                        request.secret(),
                        request.apiKey())))
        .map(
            created -> {
              Map<String, Object> view = source(created.source());
              view.put("secret", created.secret());
              return MultiTenantResponse.success("Success", view);
            });
  }

  @GetMapping({"/api/integrations/services/", "/api/integrations/services"})
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> listSources(
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMapMany(p -> sources.list(p.tenantId()))
        .map(IntegrationController::source)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  @DeleteMapping({"/api/integrations/services/{id}/", "/api/integrations/services/{id}"})
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public Mono<Void> deleteSource(
      @PathVariable String id,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain).flatMap(p -> sources.delete(p.tenantId(), uuid(id)));
  }

  @PostMapping({
    "/api/integrations/webhooks/{serviceName}/",
    "/api/integrations/webhooks/{serviceName}"
  })
  public Mono<MultiTenantResponse<Map<String, Object>>> receive(
      @PathVariable String serviceName,
      @RequestHeader(value = "X-Event-Type", required = false) String eventType,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain,
      @RequestHeader(value = "X-Signature", required = false) String signature,
      @RequestBody(required = false) byte[] body) {
    return sources
        .receive(domain, serviceName, eventType, body == null ? new byte[0] : body, signature)
        .map(
            id ->
                MultiTenantResponse.success("Webhook received", Map.of("event_id", id.toString())));
  }

  @GetMapping({"/api/integrations/webhook-events/", "/api/integrations/webhook-events"})
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> events(
      @RequestParam(defaultValue = "100") int limit,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMapMany(p -> sources.events(p.tenantId(), limit))
        .map(this::event)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  @GetMapping({"/api/integrations/health/", "/api/integrations/health"})
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> health(
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMapMany(p -> sources.health(p.tenantId()))
        .map(IntegrationController::health)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  private static Map<String, Object> source(IntegrationSource s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", s.id().toString());
    view.put("name", s.name());
    view.put("base_url", s.baseUrl());
    view.put("signature_required", s.signatureRequired());
    view.put("created_at", s.createdAt() == null ? null : s.createdAt().toString());
    return view;
  }

  private Map<String, Object> event(InboundEvent e) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", e.id().toString());
    view.put("service", Map.of("name", e.serviceName(), "base_url", e.serviceBaseUrl()));
    view.put("event_type", e.eventType());
    view.put("payload", json.readTree(e.payload()));
    view.put("status", e.status());
    view.put("retry_count", e.retryCount());
    view.put("created_at", e.createdAt().toString());
    view.put("processed_at", e.processedAt() == null ? null : e.processedAt().toString());
    return view;
  }

  private static Map<String, Object> health(HealthCheck h) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", h.id().toString());
    view.put("service", Map.of("name", h.serviceName()));
    view.put("status", h.status());
    view.put("response_time", Math.round(h.responseTime() * 1000) / 1000.0);
    view.put("last_check", h.lastCheck().toString());
    view.put("error_message", h.errorMessage());
    return view;
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("Service not found");
    }
  }
}
