package dev.cumulus.storage.quota.application;

import dev.cumulus.platform.schedule.PeriodicWork;
import dev.cumulus.storage.quota.domain.TenantUsage;
import dev.cumulus.storage.quota.persistence.TenantUsageRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-tenant usage on the actuator's Prometheus endpoint: {@code
 * cumulus_storage_stored_bytes{tenant}}, {@code cumulus_storage_objects{tenant}} and {@code
 * cumulus_storage_buckets{tenant}}, read from the usage table every {@code
 * cumulus.storage.quota.metrics-interval}.
 *
 * <p>Label cardinality: one series per tenant and gauge, and tenants are few next to requests (they
 * are created by hand, limited per platform); still, only the {@code metrics-tenants} (1,000)
 * tenants storing the most are exported, so a platform with very many tenants cannot blow up
 * Prometheus, and a tenant that leaves the top (or stores nothing any more) loses its series at the
 * next refresh. Exact numbers for any tenant stay available from the usage endpoint.
 */
@Component
public class UsageGauges extends PeriodicWork {

  private final TenantUsageRepository usage;
  private final QuotaProperties properties;
  private final MultiGauge storedBytes;
  private final MultiGauge objects;
  private final MultiGauge buckets;
  private final MultiGauge parkedBytes;

  public UsageGauges(
      TenantUsageRepository usage, QuotaProperties properties, MeterRegistry registry) {
    super("Reading tenant usage for the gauges");
    this.usage = usage;
    this.properties = properties;
    this.storedBytes =
        MultiGauge.builder("cumulus.storage.stored")
            .baseUnit("bytes")
            .description("Bytes a tenant stores (every object version)")
            .register(registry);
    this.objects =
        MultiGauge.builder("cumulus.storage.objects")
            .description("Current objects of a tenant")
            .register(registry);
    this.buckets =
        MultiGauge.builder("cumulus.storage.buckets")
            .description("Buckets of a tenant")
            .register(registry);
    this.parkedBytes =
        MultiGauge.builder("cumulus.storage.parked")
            .baseUnit("bytes")
            .description("Bytes of a tenant's multipart parts in uploads still open")
            .register(registry);
  }

  Mono<Void> refresh() {
    return usage
        .largest(properties.metricsTenants())
        .doOnNext(
            byTenant -> {
              storedBytes.register(rows(byTenant, TenantUsage::storedBytes), true);
              objects.register(rows(byTenant, TenantUsage::objects), true);
              buckets.register(rows(byTenant, TenantUsage::buckets), true);
              parkedBytes.register(rows(byTenant, TenantUsage::parkedBytes), true);
            })
        .then();
  }

  private static List<MultiGauge.Row<?>> rows(
      Map<String, TenantUsage> byTenant, ToLongFunction<TenantUsage> value) {
    return byTenant.entrySet().stream()
        .<MultiGauge.Row<?>>map(
            e -> {
              long count = value.applyAsLong(e.getValue());
              // A supplier, not the boxed number: gauges hold their object weakly.
              return MultiGauge.Row.of(Tags.of("tenant", e.getKey()), () -> count);
            })
        .toList();
  }

  @Override
  protected Duration interval() {
    return properties.metricsInterval();
  }

  /** Soon after start-up, so the gauges are not empty for a whole interval. */
  @Override
  protected Duration firstRunDelay() {
    return properties.metricsInterval().dividedBy(10);
  }

  @Override
  protected Mono<Void> runOnce() {
    return refresh();
  }
}
