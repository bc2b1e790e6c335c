package dev.cumulus.integration.mock.application;

import dev.cumulus.integration.mock.domain.MockType;
import dev.cumulus.integration.mock.persistence.MockRepository;
import dev.cumulus.integration.mock.persistence.MockRepository.MockRow;
import dev.cumulus.platform.error.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Seed 003's mock services as a per-tenant sandbox: records in, records (paged) out. */
@Service
public class MockServices {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final MockRepository records;
  private final ObjectMapper json;

  public MockServices(MockRepository records, ObjectMapper json) {
    this.records = records;
    this.json = json;
  }

  /** One page of a type, with the type's total. */
  public record Page(List<Map<String, Object>> records, long total) {}

  public Mono<Map<String, Object>> create(
      String tenantId, MockType type, Map<String, Object> body) {
    Map<String, Object> fields;
    try {
      fields = type.fields(body == null ? Map.of() : body);
    } catch (IllegalArgumentException e) {
      return Mono.error(ApiException.badRequest(e.getMessage()));
    }
    return records.insert(tenantId, type.path(), json.writeValueAsString(fields)).map(this::view);
  }

  public Mono<Page> page(String tenantId, MockType type, long offset, int limit) {
    if (offset < 0 || limit < 1 || limit > 1000) {
      return Mono.error(ApiException.badRequest("offset must be 0 or more and limit 1 to 1000"));
    }
    return records
        .list(tenantId, type.path(), offset, limit)
        .map(this::view)
        .collectList()
        .zipWith(records.count(tenantId, type.path()))
        .map(both -> new Page(both.getT1(), both.getT2()));
  }

  private Map<String, Object> view(MockRow row) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", row.id().toString());
    view.putAll(json.readValue(row.data(), MAP));
    view.put("created_at", row.createdAt().toString());
    return view;
  }
}
