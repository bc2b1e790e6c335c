package dev.cumulus.storage;

import dev.cumulus.platform.testsupport.CumulusTestProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every storage-service test context needs: the test infrastructure, auth-service's quota
 * endpoint ({@link AuthServiceStandIn}) and a data directory.
 */
public final class StorageTestProperties {

  private StorageTestProperties() {}

  /**
   * Registers the platform's test settings ({@link CumulusTestProperties}, with {@code
   * databasePrefix}) and a fresh temporary data directory. Use from a {@code DynamicPropertySource}
   * method.
   *
   * @return the data directory (blob files are under {@code blobs/<service id>/})
   */
  public static Path register(DynamicPropertyRegistry registry, String databasePrefix)
      throws IOException {
    CumulusTestProperties.register(registry, databasePrefix);
    // Tenants' quotas come from auth-service's internal endpoint: a stand-in on a local port.
    registry.add("cumulus.auth-service.url", AuthServiceStandIn::url);
    // The platform's internal secret: storage's calls to it carry it, and it guards storage's own
    // internal endpoint (/internal/tenants/*/usage).
    registry.add("cumulus.internal.secret", () -> AuthServiceStandIn.INTERNAL_SECRET);
    // A changed limit shows within a second, and so do the per-tenant gauges.
    registry.add("cumulus.storage.quota.cache-ttl", () -> "1s");
    registry.add("cumulus.storage.quota.metrics-interval", () -> "1s");
    Path data = Files.createTempDirectory("storage-" + databasePrefix + "-data");
    registry.add("cumulus.storage.data-dir", data::toString);
    return data;
  }
}
