package dev.cumulus.commerce.monitoring.application;

import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.order.application.OrderStats;
import dev.cumulus.commerce.order.domain.Money;
import dev.cumulus.commerce.stripe.application.PaymentGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Health, metrics, integration status and recent errors as seed 004 reports them. */
@Service
public class Monitoring {

  private final IntegrationMonitor integrations;
  private final OrderStats stats;
  private final PaymentGateway stripe;

  public Monitoring(IntegrationMonitor integrations, OrderStats stats, PaymentGateway stripe) {
    this.integrations = integrations;
    this.stats = stats;
    this.stripe = stripe;
  }

  public Mono<Map<String, Object>> health() {
    long start = System.nanoTime();
    return stats
        .ping()
        .map(ok -> "up")
        .onErrorReturn("down")
        .map(
            database -> {
              long latency = (System.nanoTime() - start) / 1_000_000;
              Map<String, Object> services = new LinkedHashMap<>();
              services.put("database", Map.of("status", database, "latency", latency));
              IntegrationMonitor.Integration s = integrations.integration("stripe");
              services.put(
                  "stripe",
                  Map.of(
                      "status", "down".equals(s.status()) ? "down" : "up", "mode", stripe.mode()));
              services.put(
                  "sendgrid", Map.of("status", integrations.integration("sendgrid").mode()));
              services.put(
                  "googleSheets",
                  Map.of("status", integrations.integration("googleSheets").mode()));
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("timestamp", Instant.now().toString());
              data.put(
                  "status",
                  "up".equals(database) && !"down".equals(s.status()) ? "healthy" : "degraded");
              data.put("services", services);
              return data;
            });
  }

  public Mono<Map<String, Object>> metrics(String tenantId, Duration range, String currency) {
    Instant end = Instant.now();
    Instant start = end.minus(range);
    return stats
        .stats(tenantId, start, currency)
        .map(
            s -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("timeRange", Map.of("start", start.toString(), "end", end.toString()));
              data.put(
                  "orders",
                  Map.of(
                      "total",
                      s.total(),
                      "successful",
                      s.successful(),
                      "failed",
                      s.failed(),
                      "pending",
                      s.pending()));
              data.put(
                  "revenue",
                  Map.of("total", Money.toMajor(s.revenueMinor(), currency), "currency", currency));
              Map<String, Object> calls = new LinkedHashMap<>();
              for (IntegrationMonitor.Integration i : integrations.all()) {
                calls.put(i.key(), Map.of("calls", i.calls(), "errors", i.errors()));
              }
              data.put("integrations", calls);
              return data;
            });
  }

  public Map<String, Object> integrations() {
    Instant now = Instant.now();
    Map<String, Object> all = new LinkedHashMap<>();
    for (IntegrationMonitor.Integration i : integrations.all()) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("name", i.name());
      view.put("status", i.status());
      view.put("mode", i.mode());
      if (i.endpoint() != null) {
        view.put("sandbox", i.endpoint());
      }
      view.put("lastChecked", now.toString());
      view.put("lastSuccess", i.lastSuccess() == null ? null : i.lastSuccess().toString());
      view.put("lastError", i.lastError());
      view.put("lastErrorAt", i.lastErrorAt() == null ? null : i.lastErrorAt().toString());
      view.put("circuit", i.circuit());
      view.put("calls", i.calls());
      view.put("errors", i.errors());
      all.put(i.key(), view);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("timestamp", now.toString());
    data.put("integrations", all);
    return data;
  }

  public Mono<Map<String, Object>> errors(String tenantId, int limit) {
    return integrations
        .recentErrors(tenantId, Instant.now().minus(Duration.ofHours(24)), limit)
        .map(
            list -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put(
                  "errors",
                  list.stream()
                      .map(
                          e -> {
                            Map<String, Object> view = new LinkedHashMap<>();
                            view.put("timestamp", e.timestamp().toString());
                            view.put("level", "error");
                            view.put("message", e.message());
                            view.put("service", e.service());
                            view.put(
                                "orderId", e.orderId() == null ? null : e.orderId().toString());
                            view.put("error", e.error());
                            return view;
                          })
                      .toList());
              data.put("count", list.size());
              data.put("period", "24h");
              return data;
            });
  }
}
