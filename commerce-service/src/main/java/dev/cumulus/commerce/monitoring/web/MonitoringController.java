package dev.cumulus.commerce.monitoring.web;

import dev.cumulus.commerce.monitoring.application.Monitoring;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.web.envelope.CloudIntegrationResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 004's Monitoring API, for the caller's tenant. */
@RestController
@RequestMapping("/api/monitoring")
class MonitoringController {

  private final Monitoring monitoring;

  MonitoringController(Monitoring monitoring) {
    this.monitoring = monitoring;
  }

  @GetMapping("/health")
  Mono<CloudIntegrationResponse<Map<String, Object>>> health() {
    return monitoring.health().map(CloudIntegrationResponse::of);
  }

  @GetMapping("/metrics")
  Mono<CloudIntegrationResponse<Map<String, Object>>> metrics(
      @RequestParam(defaultValue = "24h") String timeRange,
      @RequestParam(defaultValue = "usd") String currency) {
    Duration range = range(timeRange);
    return CumulusPrincipal.current()
        .flatMap(caller -> monitoring.metrics(caller.tenantId(), range, currency.toLowerCase()))
        .map(CloudIntegrationResponse::of);
  }

  @GetMapping("/integrations")
  Mono<CloudIntegrationResponse<Map<String, Object>>> integrations() {
    return CumulusPrincipal.current()
        .map(caller -> CloudIntegrationResponse.of(monitoring.integrations()));
  }

  @GetMapping("/errors")
  Mono<CloudIntegrationResponse<Map<String, Object>>> errors(
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 500) {
      return Mono.error(
          ApiException.badRequest("Validation error: limit must be between 1 and 500"));
    }
    return CumulusPrincipal.current()
        .flatMap(caller -> monitoring.errors(caller.tenantId(), limit))
        .map(CloudIntegrationResponse::of);
  }

  /** {@code 1h}, {@code 24h}, {@code 7d}, {@code 30m}. */
  static Duration range(String value) {
    var matcher = java.util.regex.Pattern.compile("(\\d{1,4})([mhd])").matcher(value);
    if (!matcher.matches()) {
      throw ApiException.badRequest("Validation error: timeRange must look like 1h, 24h or 7d");
    }
    long n = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
