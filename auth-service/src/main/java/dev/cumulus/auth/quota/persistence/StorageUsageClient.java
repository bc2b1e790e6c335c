package dev.cumulus.auth.quota.persistence;

import dev.cumulus.platform.internalclient.InternalServiceClient;
import dev.cumulus.platform.internalclient.InternalServiceClients;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What a tenant stores, from storage-service ({@code GET /internal/tenants/{id}/usage}, through the
 * platform's internal client): storage counts its buckets and bytes itself, in the transaction of
 * every write, so auth-service asks rather than keeps a copy. Never fails: without an answer within
 * {@link #TIMEOUT} the usage simply has no storage part.
 */
@Component
public class StorageUsageClient {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(StorageUsageClient.class);

  /** The tenant's storage, as storage-service counts it. */
  public record StorageUsage(long buckets, long objects, long storedBytes, long parkedBytes) {}

  private record Answer(String tenantId, StorageUsage usage) {}

  private final InternalServiceClient client;

  public StorageUsageClient(InternalServiceClients clients) {
    this.client = clients.of("storage-service");
  }

  public Mono<Optional<StorageUsage>> of(String tenantId) {
    if (!client.configured()) {
      // Without the secret storage-service could not answer: no storage part, and no warning
      // on every call.
      return Mono.just(Optional.empty());
    }
    return client
        .get(Answer.class, "/internal/tenants/{tenantId}/usage", tenantId)
        .map(answer -> Optional.ofNullable(answer.usage()))
        .timeout(TIMEOUT)
        .onErrorResume(
            e -> {
              log.warn("No storage usage for tenant {}: {}", tenantId, e.toString());
              return Mono.just(Optional.empty());
            });
  }
}
