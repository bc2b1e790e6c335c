package dev.cumulus.commerce.common.application;

import dev.cumulus.commerce.common.persistence.IntegrationErrorRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What every external integration (Stripe, SendGrid, Google Sheets) reports: calls, errors, last
 * success and last error, its mode and circuit state; failures also go to the error log that {@code
 * /api/monitoring/errors} reads.
 */
@Component
public class IntegrationMonitor {

  /** One integration's counters since start. */
  public static final class Integration {
    private final String key;
    private final String name;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String mode = "unconfigured";
    private volatile String endpoint;
    private volatile Supplier<String> circuit = () -> "closed";
    private volatile Instant lastSuccess;
    private volatile Instant lastErrorAt;
    private volatile String lastError;

    Integration(String key, String name) {
      this.key = key;
      this.name = name;
    }

    public String key() {
      return key;
    }

    public String name() {
      return name;
    }

    public String mode() {
      return mode;
    }

    /** Where a sandbox listens (its inbox, for SendGrid's), or null. */
    public String endpoint() {
      return endpoint;
    }

    public void sandboxAt(String endpoint) {
      this.endpoint = endpoint;
    }

    public String circuit() {
      return circuit.get();
    }

    public long calls() {
      return calls.get();
    }

    public long errors() {
      return errors.get();
    }

    public Instant lastSuccess() {
      return lastSuccess;
    }

    public Instant lastErrorAt() {
      return lastErrorAt;
    }

    public String lastError() {
      return lastError;
    }

    public void configure(String mode, Supplier<String> circuit) {
      this.mode = mode;
      this.circuit = circuit;
    }

    public void succeeded() {
      calls.incrementAndGet();
      lastSuccess = Instant.now();
    }

    void failed(String error) {
      calls.incrementAndGet();
      errors.incrementAndGet();
      lastErrorAt = Instant.now();
      lastError = error;
    }

    /** Operational unless the circuit is open or the last call failed after the last success. */
    public String status() {
      if ("open".equals(circuit())) {
        return "down";
      }
      if (lastErrorAt != null && (lastSuccess == null || lastErrorAt.isAfter(lastSuccess))) {
        return "degraded";
      }
      return "operational";
    }
  }

  private final Map<String, Integration> integrations = new ConcurrentHashMap<>();
  private final IntegrationErrorRepository errors;

  public IntegrationMonitor(IntegrationErrorRepository errors) {
    this.errors = errors;
    integration("stripe", "Stripe Payment Gateway");
    integration("sendgrid", "SendGrid Email Service");
    integration("googleSheets", "Google Sheets API");
  }

  public Integration integration(String key, String name) {
    return integrations.computeIfAbsent(key, k -> new Integration(key, name));
  }

  public Integration integration(String key) {
    return integrations.get(key);
  }

  public List<Integration> all() {
    return List.of(integration("stripe"), integration("sendgrid"), integration("googleSheets"));
  }

  /** Counts a failed call and logs it for the tenant (never fails itself). */
  public Mono<Void> failed(
      String key, String tenantId, UUID orderId, String message, Throwable error) {
    String detail = error == null ? null : String.valueOf(error.getMessage());
    integration(key).failed(detail == null ? message : detail);
    return errors.insert(tenantId, key, message, detail, orderId).onErrorResume(e -> Mono.empty());
  }

  public Mono<List<IntegrationErrorRepository.LoggedError>> recentErrors(
      String tenantId, Instant since, int limit) {
    return errors.recent(tenantId, since, limit).collectList();
  }
}
