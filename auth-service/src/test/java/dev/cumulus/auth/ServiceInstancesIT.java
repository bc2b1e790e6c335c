package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.KafkaEventPublisher;
import dev.cumulus.platform.events.OutboxEvent;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Seed 000 control plane: service instances, their API keys and their events on Kafka. */
class ServiceInstancesIT extends AuthIT {

  private static final String TOPIC = "cumulus.service-instances";

  @Test
  void createListGetDeleteEmitsServiceCreatedAndDeleted() {
    Tenant tenant = newTenant("pro");
    String token = tenant.adminToken();
    JsonNode created =
        post(
            "/api/services",
            token,
            Map.of(
                "serviceName", "my-storage",
                "serviceType", "S3Storage",
                "configuration", Map.of("versioning", true)),
            201);
    String id = created.path("id").asString();
    assertThat(created.path("serviceName").asString()).isEqualTo("my-storage");
    assertThat(created.path("serviceType").asString()).isEqualTo("S3Storage");
    assertThat(created.path("tenantId").asString()).isEqualTo(tenant.id());
    // Provisioning until the hosting service reports it ready (see the test below).
    assertThat(created.path("status").asString()).isEqualTo("provisioning");
    assertThat(created.path("endpoint").asString())
        .isEqualTo("/api/s3storage/" + tenant.id() + "/" + id);
    assertThat(created.path("createdAt").asString()).isNotBlank();
    String apiKey = created.path("apiKey").asString();
    assertThat(apiKey).startsWith("ck_");

    // The instance key is bound to the instance.
    JsonNode exchanged =
        json(
            http.post()
                .uri("/internal/auth/api-key-token")
                .header("X-API-Key", apiKey)
                .exchange()
                .expectStatus()
                .isOk());
    assertThat(exchanged.path("access_token").asString()).isNotBlank();

    post("/api/services", token, Map.of("serviceName", "q1", "serviceType", "queue"), 201);
    assertThat(get("/api/services", token, 200).size()).isEqualTo(2);
    JsonNode onlyQueues = get("/api/services?type=QUEUE", token, 200);
    assertThat(onlyQueues.size()).isEqualTo(1);
    assertThat(onlyQueues.get(0).path("serviceType").asString()).isEqualTo("Queue");
    assertThat(get("/api/services/" + id, token, 200).path("serviceName").asString())
        .isEqualTo("my-storage");
    post("/api/services", token, Map.of("serviceName", "my-storage", "serviceType", "kafka"), 409);
    JsonNode badType =
        post("/api/services", token, Map.of("serviceName", "x", "serviceType", "ftp"), 400);
    assertThat(badType.path("error").path("code").asString()).isEqualTo("InvalidRequest");

    http.delete()
        .uri("/api/services/" + id)
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isNoContent();
    get("/api/services/" + id, token, 404);
    http.post()
        .uri("/internal/auth/api-key-token")
        .header("X-API-Key", apiKey)
        .exchange()
        .expectStatus()
        .isUnauthorized();

    List<ReceivedEvent> events = eventsFor(id, 2);
    assertThat(events)
        .extracting(ReceivedEvent::type)
        .containsExactly(
            "dev.cumulus.auth.service.created.v1", "dev.cumulus.auth.service.deleted.v1");
    JsonNode createdPayload = JSON.readTree(events.get(0).data());
    assertThat(createdPayload.path("eventType").asString()).isEqualTo("service.created");
    assertThat(Instant.parse(createdPayload.path("timestamp").asString())).isNotNull();
    assertThat(createdPayload.path("tenantId").asString()).isEqualTo(tenant.id());
    assertThat(createdPayload.path("serviceId").asString()).isEqualTo(id);
    // Same fields as seed 000's example (jsonb does not keep key order); the status is the
    // instance's at that moment: provisioning until its service reports it ready.
    assertThat(createdPayload.path("data"))
        .isEqualTo(
            JSON.readTree(
                "{\"serviceName\":\"my-storage\",\"serviceType\":\"S3Storage\",\"status\":\"provisioning\"}"));
    assertThat(createdPayload.propertyNames())
        .containsExactlyInAnyOrder("eventType", "timestamp", "tenantId", "serviceId", "data");
    assertThat(events.get(0).tenantId()).isEqualTo(tenant.id());
    JsonNode deletedPayload = JSON.readTree(events.get(1).data());
    assertThat(deletedPayload.path("eventType").asString()).isEqualTo("service.deleted");
    assertThat(deletedPayload.path("data").path("serviceType").asString()).isEqualTo("S3Storage");
  }

  @Test
  void anInstanceRunsOnlyOnceItsServiceReportsItReadyAndFailsWhenItReportsAFailure() {
    Tenant tenant = newTenant("pro");
    String token = tenant.adminToken();
    String ready =
        post("/api/services", token, Map.of("serviceName", "q-ok", "serviceType", "queue"), 201)
            .path("id")
            .asString();
    String failing =
        post("/api/services", token, Map.of("serviceName", "q-bad", "serviceType", "queue"), 201)
            .path("id")
            .asString();
    assertThat(get("/api/services/" + ready, token, 200).path("status").asString())
        .isEqualTo("provisioning");

    // What the platform's instance registry in the hosting service sends.
    report(tenant.id(), ready, "instance.ready");
    report(tenant.id(), failing, "instance.failed");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get("/api/services/" + ready, token, 200).path("status").asString())
                  .isEqualTo("running");
              assertThat(get("/api/services/" + failing, token, 200).path("status").asString())
                  .isEqualTo("failed");
            });
  }

  private static void report(String tenantId, String serviceId, String eventType) {
    String payload =
        JSON.writeValueAsString(
            Map.of(
                "eventType", eventType,
                "tenantId", tenantId,
                "serviceId", serviceId,
                "data", Map.of("serviceType", "queue", "serviceName", "q")));
    try (KafkaEventPublisher kafka =
        KafkaEventPublisher.connect(TestInfrastructure.kafkaBootstrapServers(), "test-reports")) {
      kafka
          .publish(
              List.of(
                  new OutboxEvent(
                      0,
                      UUID.randomUUID(),
                      "cumulus.service-instances",
                      serviceId,
                      "dev.cumulus.queue.instance." + eventType.substring(9) + ".v1",
                      "/queue",
                      tenantId,
                      null,
                      payload,
                      OffsetDateTime.now())))
          .block(Duration.ofSeconds(30));
    }
  }

  @Test
  void instancesAreInvisibleToOtherTenantsAndMembersCannotCreateThem() {
    Tenant a = newTenant("free");
    Tenant b = newTenant("free");
    String bInstance =
        post(
                "/api/services",
                b.adminToken(),
                Map.of("serviceName", "db", "serviceType", "rdsdatabase"),
                201)
            .path("id")
            .asString();
    JsonNode notFound = get("/api/services/" + bInstance, a.adminToken(), 404);
    assertThat(notFound.path("error").path("code").asString()).isEqualTo("NotFound");
    assertThat(get("/api/services", a.adminToken(), 200).size()).isZero();
    http.delete()
        .uri("/api/services/" + bInstance)
        .header("Authorization", "Bearer " + a.adminToken())
        .exchange()
        .expectStatus()
        .isNotFound();
    JsonNode forbidden =
        json(
            http.get()
                .uri("/api/services")
                .header("Authorization", "Bearer " + a.adminToken())
                .header("X-Tenant-Domain", b.domain())
                .exchange()
                .expectStatus()
                .isForbidden());
    assertThat(forbidden.path("error").path("code").asString()).isEqualTo("AccessDenied");
    // A's admin cannot bind a key to B's instance.
    post("/api/api-keys", a.adminToken(), Map.of("name", "steal", "serviceId", bInstance), 404);

    post(
        "/api/tenants/users/",
        a.adminToken(),
        Map.of("username", "dev", "email", "dev@example.com", "password", "password123"),
        201);
    String member = tenantLogin("dev", "password123", a.domain());
    post("/api/services", member, Map.of("serviceName", "n", "serviceType", "function"), 403);
    get("/api/services", member, 200);
    post("/api/services", null, Map.of("serviceName", "n", "serviceType", "function"), 401);
  }

  /** The events of one instance, read from the topic's beginning. */
  private static List<ReceivedEvent> eventsFor(String serviceId, int expected) {
    return events(TOPIC, serviceId, expected);
  }

  /**
   * The events with this Kafka key on the topic: waits up to 30 s for {@code expected}, then one
   * second more, so that a duplicate would show.
   */
  static List<ReceivedEvent> events(String topic, String key, int expected) {
    String serviceId = key;
    List<ReceivedEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer(topic)) {
      Instant deadline = Instant.now().plusSeconds(30);
      while (found.size() < expected && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (serviceId.equals(record.key())) {
            found.add(CloudEventHeaders.read(record.headers(), record.value()));
          }
        }
      }
      // Exactly once each: nothing more arrives for this instance.
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
        if (serviceId.equals(record.key())) {
          found.add(CloudEventHeaders.read(record.headers(), record.value()));
        }
      }
    }
    return found;
  }
}
