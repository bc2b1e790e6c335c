package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.auth.keys.domain.SigningKey;
import dev.cumulus.auth.keys.persistence.SigningKeyRepository;
import dev.cumulus.auth.s3credential.persistence.S3CredentialRepository;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.MasterKeyRotation.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** S3 access key pairs of s3storage instances and storage-service's signing-key lookup. */
class S3CredentialsIT extends AuthIT {

  private static final String SIGNING_KEY = "/internal/auth/s3/signing-key";

  @Autowired DatabaseClient db;
  @Autowired MasterKey masterKey;
  @Autowired List<MasterKeyRotation.SealedValues> sealedValues;

  @Test
  void anS3StorageInstanceComesWithAPairWhoseSigningKeyIsTheSigV4Chain() throws Exception {
    Tenant tenant = newTenant("pro");
    JsonNode created = createInstance(tenant.adminToken(), "photos", "s3storage");
    String serviceId = created.path("id").asString();
    // The existing fields are all still there.
    assertThat(created.propertyNames())
        .containsExactlyInAnyOrder(
            "id",
            "serviceName",
            "serviceType",
            "tenantId",
            "status",
            "endpoint",
            "apiKey",
            "createdAt",
            "s3Credentials");
    String accessKeyId = created.path("s3Credentials").path("accessKeyId").asString();
    String secret = created.path("s3Credentials").path("secretAccessKey").asString();
    assertThat(accessKeyId).matches("CK[A-Z0-9]{18}");
    assertThat(secret).matches("[A-Za-z0-9+/]{40}");

    JsonNode answer = signingKey(INTERNAL_SECRET, request(accessKeyId), 200);
    assertThat(answer.path("accessKeyId").asString()).isEqualTo(accessKeyId);
    assertThat(answer.path("tenantId").asString()).isEqualTo(tenant.id());
    assertThat(answer.path("serviceId").asString()).isEqualTo(serviceId);
    assertThat(answer.propertyNames()).doesNotContain("secretAccessKey", "secret");
    byte[] expected = sigV4Key(secret, "20261130", "us-east-1", "s3");
    assertThat(Base64.getDecoder().decode(answer.path("signingKey").asString()))
        .hasSize(32)
        .isEqualTo(expected);

    // Listed without the secret.
    JsonNode listed = get(credentialsPath(serviceId), tenant.adminToken(), 200);
    assertThat(listed.size()).isEqualTo(1);
    assertThat(listed.get(0).path("accessKeyId").asString()).isEqualTo(accessKeyId);
    assertThat(listed.get(0).path("serviceId").asString()).isEqualTo(serviceId);
    assertThat(listed.get(0).propertyNames())
        .containsExactlyInAnyOrder("accessKeyId", "serviceId", "createdAt");

    // Every type with AWS protocols gets a pair (one for all its protocols: SQS for a queue)...
    JsonNode queue = createInstance(tenant.adminToken(), "jobs", "queue");
    assertThat(queue.path("s3Credentials").path("accessKeyId").asString()).startsWith("CK");
    // ...kafka, which has none, gets no pair, and its response is unchanged.
    JsonNode kafka = createInstance(tenant.adminToken(), "events", "kafka");
    assertThat(kafka.has("s3Credentials")).isFalse();
  }

  @Test
  void theSigningKeyEndpointNeedsTheInternalSecretAndAWellFormedBody() {
    Tenant tenant = newTenant("free");
    JsonNode created = createInstance(tenant.adminToken(), "bucket-store", "s3storage");
    String accessKeyId = created.path("s3Credentials").path("accessKeyId").asString();

    JsonNode missing = signingKey(null, request(accessKeyId), 401);
    assertThat(missing.path("error").path("code").asString()).isEqualTo("Unauthorized");
    signingKey("wrong-secret", request(accessKeyId), 401);
    signingKey(INTERNAL_SECRET + "x", request(accessKeyId), 401);
    // A JWT is not a substitute for the secret.
    signingKey(null, request(accessKeyId), 401, tenant.adminToken());

    assertThat(
            signingKey(INTERNAL_SECRET, request(accessKeyId, "2026-11-30", "us-east-1", "s3"), 400)
                .path("error")
                .path("code")
                .asString())
        .isEqualTo("InvalidRequest");
    signingKey(INTERNAL_SECRET, request(accessKeyId, "20261130", "US-EAST-1", "s3"), 400);
    signingKey(INTERNAL_SECRET, request(accessKeyId, "20261130", "us-east-1", ""), 400);
    signingKey(INTERNAL_SECRET, Map.of("date", "20261130"), 400);

    JsonNode unknown = signingKey(INTERNAL_SECRET, request("CK000000000000000000"), 404);
    assertThat(unknown.path("error").path("code").asString()).isEqualTo("InvalidAccessKeyId");
    assertThat(
            signingKey(INTERNAL_SECRET, request("not-a-key"), 404)
                .path("error")
                .path("code")
                .asString())
        .isEqualTo("InvalidAccessKeyId");
  }

  @Test
  void revokedPairsAndPairsOfDeletedInstancesStopWorking() {
    Tenant tenant = newTenant("pro");
    String token = tenant.adminToken();
    JsonNode instance = createInstance(token, "archive", "s3storage");
    String serviceId = instance.path("id").asString();
    String first = instance.path("s3Credentials").path("accessKeyId").asString();

    JsonNode second = post(credentialsPath(serviceId), token, Map.of(), 201);
    String secondId = second.path("accessKeyId").asString();
    assertThat(second.propertyNames())
        .containsExactlyInAnyOrder("accessKeyId", "secretAccessKey", "serviceId", "createdAt");
    assertThat(second.path("secretAccessKey").asString()).matches("[A-Za-z0-9+/]{40}");
    assertThat(second.path("serviceId").asString()).isEqualTo(serviceId);
    assertThat(get(credentialsPath(serviceId), token, 200).size()).isEqualTo(2);

    delete(credentialsPath(serviceId) + "/" + first, token, 204);
    JsonNode revoked = signingKey(INTERNAL_SECRET, request(first), 404);
    assertThat(revoked.path("error").path("code").asString()).isEqualTo("InvalidAccessKeyId");
    delete(credentialsPath(serviceId) + "/" + first, token, 404);
    JsonNode remaining = get(credentialsPath(serviceId), token, 200);
    assertThat(remaining.size()).isEqualTo(1);
    assertThat(remaining.get(0).path("accessKeyId").asString()).isEqualTo(secondId);
    signingKey(INTERNAL_SECRET, request(secondId), 200);

    delete("/api/services/" + serviceId, token, 204);
    JsonNode gone = signingKey(INTERNAL_SECRET, request(secondId), 404);
    assertThat(gone.path("error").path("code").asString()).isEqualTo("InvalidAccessKeyId");
    get(credentialsPath(serviceId), token, 404);
    post(credentialsPath(serviceId), token, Map.of(), 404);
    assertThat(
            count(
                "SELECT count(*) FROM s3_credentials WHERE service_id = '"
                    + serviceId
                    + "' AND revoked_at IS NULL"))
        .isZero();

    // Every write is audited, by access key id, never with a secret.
    List<String> actions =
        db.sql(
                "SELECT action || ' ' || resource_id AS entry FROM audit_logs"
                    + " WHERE resource_type = 'S3_CREDENTIAL' AND tenant_id = :tenant"
                    + " ORDER BY \"timestamp\"")
            .bind("tenant", tenant.id())
            .map(row -> row.get("entry", String.class))
            .all()
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(actions)
        .containsExactly(
            "CREATE " + first, "CREATE " + secondId, "REVOKE " + first, "REVOKE " + secondId);
    assertThat(
            count(
                "SELECT count(*) FROM audit_logs WHERE changes::text LIKE '%"
                    + second.path("secretAccessKey").asString().replace("'", "''")
                    + "%'"))
        .isZero();
  }

  /**
   * The gateway's lookup for per-tenant AWS budgets: every pair of a tenant names that tenant and
   * its plan, behind the internal secret, and a revoked or unknown key names nobody.
   */
  @Test
  void anAccessKeyNamesItsTenantAndPlanForTheGatewaysBudget() {
    Tenant tenant = newTenant("pro");
    JsonNode instance = createInstance(tenant.adminToken(), "budgeted", "s3storage");
    String serviceId = instance.path("id").asString();
    String first = instance.path("s3Credentials").path("accessKeyId").asString();
    String second =
        post(credentialsPath(serviceId), tenant.adminToken(), Map.of(), 201)
            .path("accessKeyId")
            .asString();

    for (String key : List.of(first, second)) {
      JsonNode owner = keyOwner(INTERNAL_SECRET, key, 200);
      assertThat(owner.path("accessKeyId").asString()).isEqualTo(key);
      assertThat(owner.path("tenantId").asString()).isEqualTo(tenant.id());
      assertThat(owner.path("plan").asString()).isEqualTo("pro");
      assertThat(owner.path("serviceId").asString()).isEqualTo(serviceId);
      assertThat(owner.propertyNames())
          .containsExactlyInAnyOrder("accessKeyId", "tenantId", "plan", "serviceId");
    }
    keyOwner(null, first, 401);
    keyOwner("wrong-secret", first, 401);
    keyOwner(INTERNAL_SECRET, "CK000000000000000000", 404);
    keyOwner(INTERNAL_SECRET, "not-a-key", 404);
    delete(credentialsPath(serviceId) + "/" + first, tenant.adminToken(), 204);
    keyOwner(INTERNAL_SECRET, first, 404);
    keyOwner(INTERNAL_SECRET, second, 200);
  }

  private JsonNode keyOwner(String secret, String accessKeyId, int status) {
    WebTestClient.RequestHeadersSpec<?> spec =
        http.get().uri("/internal/access-keys/" + accessKeyId);
    if (secret != null) {
      spec.header("X-Cumulus-Internal-Secret", secret);
    }
    return json(spec.exchange().expectStatus().isEqualTo(status));
  }

  /**
   * A master key rotation over the real tables: afterwards the new key alone opens every signing
   * key and S3 secret, unchanged; rotating back leaves the running service (old key) working.
   */
  @Test
  void aMasterKeyRotationSealsSigningKeysAndS3SecretsAgainUnderTheNewKey() throws Exception {
    Tenant tenant = newTenant("pro");
    JsonNode created = createInstance(tenant.adminToken(), "rotated", "s3storage");
    String accessKeyId = created.path("s3Credentials").path("accessKeyId").asString();
    String secret = created.path("s3Credentials").path("secretAccessKey").asString();
    List<String> kids =
        new SigningKeyRepository(db, masterKey)
            .findPublished()
            .map(SigningKey::kid)
            .collectList()
            .block(Duration.ofSeconds(10));
    MasterKey next = MasterKey.fromBase64(MasterKey.generateBase64());

    List<Outcome> there = rotate(next.withPrevious(List.of(masterKey)));

    assertThat(there).extracting(Outcome::name).containsExactly("signing keys", "S3 secrets");
    assertThat(there)
        .allSatisfy(
            o -> {
              assertThat(o.resealed()).isPositive();
              assertThat(o.current()).isZero();
              assertThat(o.unreadable()).isZero();
            });
    assertThat(
            new S3CredentialRepository(db, next)
                .findUsable(accessKeyId)
                .block(Duration.ofSeconds(10))
                .secret())
        .isEqualTo(secret);
    assertThat(
            new SigningKeyRepository(db, next)
                .findPublished()
                .map(SigningKey::kid)
                .collectList()
                .block(Duration.ofSeconds(10)))
        .isEqualTo(kids);

    List<Outcome> back = rotate(masterKey.withPrevious(List.of(next)));
    assertThat(back).allSatisfy(o -> assertThat(o.unreadable()).isZero());
    assertThat(back.get(1).resealed()).isEqualTo(there.get(1).resealed());
    JsonNode answer = signingKey(INTERNAL_SECRET, request(accessKeyId), 200);
    assertThat(Base64.getDecoder().decode(answer.path("signingKey").asString()))
        .isEqualTo(sigV4Key(secret, "20261130", "us-east-1", "s3"));
  }

  private List<Outcome> rotate(MasterKey key) {
    return new MasterKeyRotation(key, "CUMULUS_AUTH_PREVIOUS_MASTER_KEYS", sealedValues)
        .run()
        .block(Duration.ofSeconds(30));
  }

  @Test
  void otherTenantsCannotSeeOrManageAnInstancesPairsAndOtherTypesHaveNone() {
    Tenant a = newTenant("free");
    Tenant b = newTenant("free");
    JsonNode instance = createInstance(a.adminToken(), "private", "s3storage");
    String serviceId = instance.path("id").asString();
    String accessKeyId = instance.path("s3Credentials").path("accessKeyId").asString();

    JsonNode hidden = get(credentialsPath(serviceId), b.adminToken(), 404);
    assertThat(hidden.path("error").path("code").asString()).isEqualTo("NotFound");
    post(credentialsPath(serviceId), b.adminToken(), Map.of(), 404);
    delete(credentialsPath(serviceId) + "/" + accessKeyId, b.adminToken(), 404);
    signingKey(INTERNAL_SECRET, request(accessKeyId), 200);

    // A member may list but not create; the platform admin may act on any tenant.
    post(
        "/api/tenants/users/",
        a.adminToken(),
        Map.of("username", "dev", "email", "dev@example.com", "password", "password123"),
        201);
    String member = tenantLogin("dev", "password123", a.domain());
    assertThat(get(credentialsPath(serviceId), member, 200).size()).isEqualTo(1);
    post(credentialsPath(serviceId), member, Map.of(), 403);
    json(
        http.post()
            .uri(credentialsPath(serviceId))
            .header("Authorization", "Bearer " + adminToken())
            .header("X-Tenant-Domain", a.domain())
            .exchange()
            .expectStatus()
            .isCreated());

    String kafka = createInstance(a.adminToken(), "tasks", "kafka").path("id").asString();
    JsonNode noAws = post(credentialsPath(kafka), a.adminToken(), Map.of(), 400);
    assertThat(noAws.path("error").path("code").asString()).isEqualTo("InvalidRequest");
    get(credentialsPath(kafka), a.adminToken(), 400);
  }

  @Test
  void theSecretIsStoredEncrypted() {
    Tenant tenant = newTenant("free");
    JsonNode created = createInstance(tenant.adminToken(), "sealed", "s3storage");
    String accessKeyId = created.path("s3Credentials").path("accessKeyId").asString();
    String secret = created.path("s3Credentials").path("secretAccessKey").asString();

    byte[] stored =
        db.sql("SELECT secret_encrypted FROM s3_credentials WHERE access_key_id = :id")
            .bind("id", accessKeyId)
            .map(
                row -> {
                  ByteBuffer buffer = row.get("secret_encrypted", ByteBuffer.class);
                  byte[] bytes = new byte[buffer.remaining()];
                  buffer.get(bytes);
                  return bytes;
                })
            .one()
            .block(Duration.ofSeconds(10));
    // AES-GCM: 12-byte nonce, 40-byte ciphertext, 16-byte tag; the plaintext appears nowhere.
    assertThat(stored).hasSize(12 + 40 + 16);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
  }

  // ---------------------------------------------------------------------------------------------

  private JsonNode createInstance(String token, String name, String type) {
    return post("/api/services", token, Map.of("serviceName", name, "serviceType", type), 201);
  }

  private static String credentialsPath(String serviceId) {
    return "/api/services/" + serviceId + "/s3-credentials";
  }

  private void delete(String path, String token, int status) {
    http.delete()
        .uri(path)
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isEqualTo(status);
  }

  private static Map<String, String> request(String accessKeyId) {
    return request(accessKeyId, "20261130", "us-east-1", "s3");
  }

  private static Map<String, String> request(
      String accessKeyId, String date, String region, String service) {
    return Map.of("accessKeyId", accessKeyId, "date", date, "region", region, "service", service);
  }

  private JsonNode signingKey(String secret, Object body, int status) {
    return signingKey(secret, body, status, null);
  }

  private JsonNode signingKey(String secret, Object body, int status, String bearer) {
    WebTestClient.RequestBodySpec spec =
        http.post().uri(SIGNING_KEY).contentType(MediaType.APPLICATION_JSON);
    if (secret != null) {
      spec.header("X-Cumulus-Internal-Secret", secret);
    }
    if (bearer != null) {
      spec.header("Authorization", "Bearer " + bearer);
    }
    return json(spec.bodyValue(body).exchange().expectStatus().isEqualTo(status));
  }

  private long count(String sql) {
    return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
  }

  /** The SigV4 key derivation, written out here independently of the service's code. */
  private static byte[] sigV4Key(String secret, String date, String region, String service)
      throws Exception {
    byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    byte[] kRegion = hmac(kDate, region);
    byte[] kService = hmac(kRegion, service);
    return hmac(kService, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
