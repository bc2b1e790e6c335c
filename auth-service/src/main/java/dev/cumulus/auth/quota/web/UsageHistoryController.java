package dev.cumulus.auth.quota.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.quota.application.UsageHistory;
import dev.cumulus.auth.quota.domain.UsageSample;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The current tenant's storage, an hourly sample at a time (any member may read it, as {@code
 * /api/usage}). Under seed 003's {@code /api/tenants/} (its envelope) because that prefix is
 * auth-service's tenant-wide one the gateway already routes.
 */
@RestController
@Tag(name = "Quotas", description = "Plan limits, per-tenant overrides and usage")
public class UsageHistoryController {

  private final UsageHistory history;
  private final CallerResolver callers;

  public UsageHistoryController(UsageHistory history, CallerResolver callers) {
    this.history = history;
    this.callers = callers;
  }

  public record Sample(
      Instant hour, @JsonProperty("stored_bytes") long storedBytes, long objects, long buckets) {
    static Sample of(UsageSample s) {
      return new Sample(s.hour(), s.storedBytes(), s.objects(), s.buckets());
    }
  }

  public record History(
      @JsonProperty("tenant_id") String tenantId, int days, List<Sample> samples) {}

  @GetMapping({"/api/tenants/usage-history/", "/api/tenants/usage-history"})
  @Operation(
      summary = "The tenant's stored bytes, objects and buckets, sampled hourly, oldest first",
      description = "days: 1 up to the retention (90 by default), default 7")
  public Mono<MultiTenantResponse<History>> history(
      @RequestParam(required = false) String days,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String domain) {
    int range = days(days);
    return callers
        .resolve(domain)
        .flatMap(
            caller ->
                history
                    .lastDays(caller.tenantId(), range)
                    .map(
                        samples ->
                            MultiTenantResponse.success(
                                "Success",
                                new History(
                                    caller.tenantId(),
                                    range,
                                    samples.stream().map(Sample::of).toList()))));
  }

  private int days(String days) {
    if (days == null) {
      return Math.min(7, history.maxDays());
    }
    try {
      int value = Integer.parseInt(days.trim());
      if (value >= 1 && value <= history.maxDays()) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal
    }
    throw ApiException.badRequest("days must be a whole number from 1 to " + history.maxDays());
  }
}
