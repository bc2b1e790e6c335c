package dev.cumulus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Seed 000 instances: only their tenant reaches them, and their deletion removes everything. */
class InstanceSeedIT extends StorageSeedFixture {
  @Test
  void onlyTheInstancesOwnTenantReachesIt() {
    String tenantA = "ta-" + UUID.randomUUID();
    String tenantB = "tb-" + UUID.randomUUID();
    String serviceA = newInstance(tenantA, "a-storage");
    String tokenA = TestJwtIssuer.shared().token(tenantA, "admin");
    String tokenB = TestJwtIssuer.shared().token(tenantB, "admin");
    createBucket("/api/s3storage/" + tenantA + "/" + serviceA, tokenA, "secret-bucket");

    // B's token on A's path: refused
    JsonNode forbidden =
        get("/api/s3storage/" + tenantA + "/" + serviceA + "/buckets", tokenB, 403);
    assertThat(forbidden.path("error").path("code").asString()).isNotBlank();
    get("/api/s3storage/" + tenantA + "/" + serviceA + "/buckets/secret-bucket", tokenB, 403);
    // B's own tenant in the path, A's instance: it does not exist for B
    JsonNode missing = get("/api/s3storage/" + tenantB + "/" + serviceA + "/buckets", tokenB, 404);
    assertThat(missing.path("error").path("code").asString()).isEqualTo("NoSuchService");
    // Unknown instance
    get("/api/s3storage/" + tenantA + "/" + UUID.randomUUID() + "/buckets", tokenA, 404);
    // An API key bound to another instance of the same tenant
    Map<String, Object> claims = TestJwtIssuer.userClaims(tenantA, "admin");
    claims.put(CumulusClaims.API_KEY_ID, "k1");
    claims.put(CumulusClaims.SERVICE_ID, UUID.randomUUID().toString());
    get(
        "/api/s3storage/" + tenantA + "/" + serviceA + "/buckets",
        TestJwtIssuer.shared().token(claims),
        403);
    // No token at all
    http.get()
        .uri("/api/s3storage/" + tenantA + "/" + serviceA + "/buckets")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    // The instance-bound key of this very instance works
    claims.put(CumulusClaims.SERVICE_ID, serviceA);
    assertThat(
            get(
                    "/api/s3storage/" + tenantA + "/" + serviceA + "/buckets",
                    TestJwtIssuer.shared().token(claims),
                    200)
                .path("buckets")
                .size())
        .isEqualTo(1);
  }

  @Test
  void serviceDeletedRemovesBucketsObjectsAndFiles() throws Exception {
    SeedInstance seed = seedInstance("doomed");
    createBucket(seed.base(), seed.token(), "doomed-bucket");
    upload(seed.base(), seed.token(), "doomed-bucket", randomBytes(2048), "a/b/c.bin");
    assertThat(blobFiles(seed.service())).hasSize(1);

    publishInstanceEvent(seed.tenant(), seed.service(), "doomed", "deleted", "S3Storage");
    await(() -> status(seed.base() + "/buckets", seed.token()) == 404, "instance removed");
    await(() -> !Files.exists(DATA.resolve("blobs").resolve(seed.service())), "files removed");
    Long buckets =
        db.sql("SELECT count(*) FROM storage_buckets WHERE service_id = :s")
            .bind("s", seed.service())
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(buckets).isZero();

    // Instances of other types are not storage instances
    String queue = UUID.randomUUID().toString();
    publishInstanceEvent(seed.tenant(), queue, "q", "created", "Queue");
    String marker = newInstance(seed.tenant(), "marker");
    assertThat(marker).isNotNull();
    assertThat(status("/api/s3storage/" + seed.tenant() + "/" + queue + "/buckets", seed.token()))
        .isEqualTo(404);
  }
}
