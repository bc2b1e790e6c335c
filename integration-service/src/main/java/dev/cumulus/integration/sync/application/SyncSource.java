package dev.cumulus.integration.sync.application;

import dev.cumulus.integration.common.OutboundHttp;
import dev.cumulus.integration.common.TenantScope;
import dev.cumulus.integration.inbound.application.IntegrationSources.SyncTarget;
import dev.cumulus.integration.mock.application.MockServices;
import dev.cumulus.integration.mock.domain.MockType;
import dev.cumulus.integration.sync.config.SyncProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads one page of records from a source: the tenant's mock sandbox in-process, or an external
 * service's seed-003 data endpoint ({@code <base_url>/api/data/<type>/?offset=&limit=}, answering
 * {@code {data: {records, total}}}) over guarded HTTP with the source's API key.
 */
@Component
class SyncSource {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** One page: the records (each with its {@code id}) and the source's total. */
  record Page(List<Map<String, Object>> records, long total) {}

  private final MockServices mocks;
  private final OutboundHttp http;
  private final ObjectMapper json;
  private final SyncProperties properties;

  SyncSource(MockServices mocks, OutboundHttp http, ObjectMapper json, SyncProperties properties) {
    this.mocks = mocks;
    this.http = http;
    this.json = json;
    this.properties = properties;
  }

  Mono<Page> page(SyncTarget target, String type, int offset, int limit) {
    if (target.source().isMockSandbox()) {
      return mocks
          .page(target.source().tenantId(), MockType.of(type).orElseThrow(), offset, limit)
          .map(p -> new Page(p.records(), p.total()));
    }
    URI uri =
        UriComponentsBuilder.fromUriString(target.source().baseUrl().replaceAll("/+$", ""))
            .path("/api/data/{type}/")
            .queryParam("offset", offset)
            .queryParam("limit", limit)
            .buildAndExpand(type)
            .toUri();
    return http.check(uri)
        .flatMap(
            checked ->
                http.client()
                    .get()
                    .uri(checked)
                    .headers(
                        h -> {
                          h.set(TenantScope.HEADER, target.source().tenantDomain());
                          if (target.apiKey() != null) {
                            h.set(HttpHeaders.AUTHORIZATION, "Bearer " + target.apiKey());
                          }
                        })
                    .retrieve()
                    .bodyToMono(String.class))
        .timeout(properties.requestTimeout())
        .map(this::parse);
  }

  private Page parse(String body) {
    JsonNode data = json.readTree(body).path("data");
    if (!data.path("records").isArray()) {
      throw new IllegalStateException("The source's answer has no data.records array");
    }
    List<Map<String, Object>> records = new ArrayList<>();
    data.path("records").forEach(r -> records.add(json.convertValue(r, MAP)));
    return new Page(records, data.path("total").asLong(records.size()));
  }
}
