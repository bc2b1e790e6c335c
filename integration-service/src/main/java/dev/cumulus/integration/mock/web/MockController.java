package dev.cumulus.integration.mock.web;

import dev.cumulus.integration.common.TenantScope;
import dev.cumulus.integration.mock.application.MockServices;
import dev.cumulus.integration.mock.domain.MockType;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Seed 003's {@code /api/mock/*}: users, subscriptions and notifications of the caller's tenant,
 * the health check, and the paged data endpoint sync jobs read. Paths with and without the seed's
 * trailing slash.
 */
@RestController
public class MockController {

  private final MockServices mocks;

  public MockController(MockServices mocks) {
    this.mocks = mocks;
  }

  @GetMapping({
    "/api/mock/{type:users|subscriptions|notifications}/",
    "/api/mock/{type:users|subscriptions|notifications}"
  })
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> list(
      @PathVariable String type,
      @RequestParam(defaultValue = "0") long offset,
      @RequestParam(defaultValue = "100") int limit,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMap(p -> mocks.page(p.tenantId(), type(type), offset, limit))
        .map(page -> MultiTenantResponse.results(page.records()));
  }

  @PostMapping({
    "/api/mock/{type:users|subscriptions|notifications}/",
    "/api/mock/{type:users|subscriptions|notifications}"
  })
  @ResponseStatus(HttpStatus.CREATED)
  public Mono<MultiTenantResponse<Map<String, Object>>> create(
      @PathVariable String type,
      @RequestBody(required = false) Map<String, Object> body,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .flatMap(p -> mocks.create(p.tenantId(), type(type), body))
        .map(record -> MultiTenantResponse.success("Success", record));
  }

  @GetMapping({"/api/mock/health/", "/api/mock/health"})
  public Mono<MultiTenantResponse<Map<String, Object>>> health(
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    return TenantScope.caller(domain)
        .map(
            p -> {
              Map<String, Object> services = new LinkedHashMap<>();
              services.put("user_service", "operational");
              services.put("payment_service", "operational");
              services.put("communication_service", "operational");
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
              data.put("services", services);
              return MultiTenantResponse.success("System healthy", data);
            });
  }

  @GetMapping({"/api/mock/api/data/{type}/", "/api/mock/api/data/{type}"})
  public Mono<MultiTenantResponse<Map<String, Object>>> data(
      @PathVariable String type,
      @RequestParam(defaultValue = "0") long offset,
      @RequestParam(defaultValue = "100") int limit,
      @RequestHeader(value = TenantScope.HEADER, required = false) String domain) {
    MockType mockType =
        MockType.of(type)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "Unknown data type '" + type + "' (users, subscriptions, notifications)"));
    return TenantScope.caller(domain)
        .flatMap(p -> mocks.page(p.tenantId(), mockType, offset, limit))
        .map(
            page -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("records", page.records());
              data.put("total", page.total());
              return MultiTenantResponse.success("Success", data);
            });
  }

  private static MockType type(String path) {
    return MockType.of(path).orElseThrow(() -> ApiException.notFound("Not found"));
  }
}
