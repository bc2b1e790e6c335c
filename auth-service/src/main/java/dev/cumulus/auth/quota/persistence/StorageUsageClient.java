package dev.cumulus.auth.quota.persistence;

import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.security.InternalSecret;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * What a tenant stores, from storage-service ({@code GET /internal/tenants/{id}/usage}, at the
 * registry's URL for it): storage counts its buckets and bytes itself, in the transaction of every
 * write, so auth-service asks rather than keeps a copy. Never fails: without an answer within
 * {@link #TIMEOUT} the usage simply has no storage part.
 */
@Component
public class StorageUsageClient {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(StorageUsageClient.class);

  /** The tenant's storage, as storage-service counts it. */
  public record StorageUsage(long buckets, long objects, long storedBytes, long parkedBytes) {}

  private record Answer(String tenantId, StorageUsage usage) {}

  private final WebClient client;
  private final String secret;

  public StorageUsageClient(
      WebClient.Builder builder,
      Environment environment,
      @Value("${cumulus.internal.secret:}") String secret) {
    ServiceRegistry.Service storage =
        ServiceRegistry.packaged().service("storage-service").orElseThrow();
    this.client =
        builder
            .baseUrl(environment.getProperty(storage.urlVariable(), storage.defaultUrl()))
            .build();
    this.secret = secret;
  }

  public Mono<Optional<StorageUsage>> of(String tenantId) {
    if (secret == null || secret.isBlank()) {
      return Mono.just(Optional.empty());
    }
    return client
        .get()
        .uri("/internal/tenants/{tenantId}/usage", tenantId)
        .header(InternalSecret.HEADER, secret)
        .retrieve()
        .bodyToMono(Answer.class)
        .map(answer -> Optional.ofNullable(answer.usage()))
        .timeout(TIMEOUT)
        .onErrorResume(
            e -> {
              log.warn("No storage usage for tenant {}: {}", tenantId, e.toString());
              return Mono.just(Optional.empty());
            });
  }
}
