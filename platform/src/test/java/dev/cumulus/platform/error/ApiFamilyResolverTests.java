package dev.cumulus.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.registry.ServiceRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiFamilyResolverTests {

  private final ApiFamilyResolver resolver = ApiFamilyResolver.withDefaults();

  @ParameterizedTest
  @CsvSource({
    "/api/s3storage/t1/s1/buckets, DOCKSAAS",
    "/api/queue/t1/s1/messages, DOCKSAAS",
    "/api/services, DOCKSAAS",
    "/auth/token, EVENTFLOW",
    "/v1/functions/web:invoke, EVENTFLOW",
    "/healthz, EVENTFLOW",
    "/api/auth/login, AUTO_UPDATE",
    "/api/containers/abc/logs, AUTO_UPDATE",
    "/api/users, AUTO_UPDATE",
    "/api/tenants/auth/, MULTI_TENANT",
    "/api/integrations/webhooks/user-service/, MULTI_TENANT",
    "/api/mock/users/, MULTI_TENANT",
    "/api/orders/123, CLOUD_INTEGRATION",
    "/webhooks/stripe, CLOUD_INTEGRATION",
    "/s3, S3",
    "/s3/bucket/a/key, S3",
    "/s3storage, DOCKSAAS",
    "/something/else, DOCKSAAS"
  })
  void mapsEachSeedsPathsToItsFamily(String path, ApiFamily family) {
    assertThat(resolver.resolve(path)).isEqualTo(family);
  }

  @Test
  void configuredPathsExtendAFamilyAndTheMoreSpecificPatternWins() {
    ApiFamilyResolver custom =
        new ApiFamilyResolver(
            ServiceRegistry.packaged(),
            Map.of(ApiFamily.EVENTFLOW, List.of("/api/tenants/legacy/**")),
            ApiFamily.EVENTFLOW);
    assertThat(custom.resolve("/api/tenants/legacy/x")).isEqualTo(ApiFamily.EVENTFLOW);
    assertThat(custom.resolve("/api/tenants/users/")).isEqualTo(ApiFamily.MULTI_TENANT);
    assertThat(custom.resolve("/unclaimed")).isEqualTo(ApiFamily.EVENTFLOW);
  }
}
