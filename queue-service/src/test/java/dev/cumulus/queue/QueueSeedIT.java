package dev.cumulus.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.queue.queues.application.QueueMetrics;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 000 "SQS-like Queue Service" over HTTP: the instance arrives as auth-service's {@code
 * service.created} over Kafka, then every curl example runs with its exact request; tenant
 * isolation and bad input answer in the DockSaaS envelope with SQS's codes, never a 500.
 */
@SpringBootTest(
    classes = QueueApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QueueSeedIT {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    QueueTestInstances.register(registry, "queue_seed");
    registry.add("cumulus.internal.secret", () -> INTERNAL_SECRET);
  }

  static final String INTERNAL_SECRET = "queue-test-internal-secret";

  @LocalServerPort int port;
  @Autowired Outbox outbox;
  @Autowired DatabaseClient db;
  @Autowired QueueMetrics metrics;

  WebTestClient http;
  String tenant;
  String token;
  String service;
  String base;

  @BeforeEach
  void instance() {
    http = TestClients.http(port).mutate().responseTimeout(Duration.ofSeconds(30)).build();
    tenant = "t-" + UUID.randomUUID();
    token = TestJwtIssuer.shared().token(tenant, "admin");
    service = UUID.randomUUID().toString();
    QueueTestInstances.announce(outbox, tenant, service, "my-queues");
    base = "/api/queue/" + tenant + "/" + service;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status("GET", base + "/queues", token, null) == 200);
  }

  @Test
  void everySeedQueueExampleWorks() {
    // List Queues: none yet
    JsonNode empty = call("GET", base + "/queues", null, 200);
    assertThat(empty.path("queues").size()).isZero();

    // Create Queue (exact seed body)
    JsonNode created =
        call(
            "POST",
            base + "/queues",
            """
            {
              "queueName": "processing-queue",
              "queueType": "Standard",
              "visibilityTimeoutSeconds": 30,
              "messageRetentionPeriod": 345600,
              "maxReceiveCount": 10,
              "delaySeconds": 0
            }
            """,
            201);
    assertThat(created.path("queueName").asString()).isEqualTo("processing-queue");
    assertThat(created.path("queueType").asString()).isEqualTo("Standard");
    assertThat(created.path("visibilityTimeoutSeconds").asInt()).isEqualTo(30);
    assertThat(created.path("messageRetentionPeriod").asInt()).isEqualTo(345600);
    assertThat(created.path("maxReceiveCount").asInt()).isEqualTo(10);
    assertThat(created.path("delaySeconds").asInt()).isZero();
    assertThat(created.path("queueUrl").asString())
        .isEqualTo("/sqs/" + service + "/processing-queue");
    assertThat(created.path("createdAt").asString()).isNotBlank();

    // List Queues
    JsonNode listed = call("GET", base + "/queues", null, 200);
    assertThat(listed.path("queues").size()).isEqualTo(1);
    assertThat(listed.path("count").asInt()).isEqualTo(1);
    assertThat(listed.path("queues").get(0).path("queueName").asString())
        .isEqualTo("processing-queue");

    // Get Queue Details
    JsonNode details = call("GET", base + "/queues/processing-queue", null, 200);
    assertThat(details.path("queueName").asString()).isEqualTo("processing-queue");
    assertThat(details.path("approximateNumberOfMessages").asLong()).isZero();

    // Send Message (exact seed body)
    JsonNode sent =
        call(
            "POST",
            base + "/queues/processing-queue/messages",
            """
            {
              "messageBody": "Hello World! This is a test message.",
              "delaySeconds": 0,
              "messageAttributes": {
                "priority": {
                  "stringValue": "high",
                  "dataType": "String"
                },
                "source": {
                  "stringValue": "api",
                  "dataType": "String"
                }
              }
            }
            """,
            201);
    assertThat(sent.path("messageId").asString()).isNotBlank();
    assertThat(sent.path("md5OfMessageBody").asString())
        .isEqualTo(md5("Hello World! This is a test message."));
    assertThat(sent.path("md5OfMessageAttributes").asString()).hasSize(32);

    // Receive Messages (exact seed query): the message is there, so no waiting
    long start = System.nanoTime();
    JsonNode received =
        call(
            "GET",
            base
                + "/queues/processing-queue/messages?maxNumberOfMessages=10&visibilityTimeoutSeconds=30&waitTimeSeconds=20",
            null,
            200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(received.path("messages").size()).isEqualTo(1);
    JsonNode message = received.path("messages").get(0);
    assertThat(message.path("messageId").asString()).isEqualTo(sent.path("messageId").asString());
    assertThat(message.path("messageBody").asString())
        .isEqualTo("Hello World! This is a test message.");
    assertThat(message.path("messageAttributes").path("priority").path("stringValue").asString())
        .isEqualTo("high");
    assertThat(message.path("receiveCount").asInt()).isEqualTo(1);
    String handle = message.path("receiptHandle").asString();

    // In flight: a second receive gets nothing, and the details count it
    JsonNode none =
        call("GET", base + "/queues/processing-queue/messages?maxNumberOfMessages=10", null, 200);
    assertThat(none.path("messages").size()).isZero();
    JsonNode inFlight = call("GET", base + "/queues/processing-queue", null, 200);
    assertThat(inFlight.path("approximateNumberOfMessagesNotVisible").asLong()).isEqualTo(1);

    // Delete Message
    status("DELETE", base + "/queues/processing-queue/messages/" + handle, token, null, 204);
    status("DELETE", base + "/queues/processing-queue/messages/" + handle, token, null, 404);

    // Send Message Batch (exact seed body)
    JsonNode batch =
        call(
            "POST",
            base + "/queues/processing-queue/messages/batch",
            """
            {
              "entries": [
                {
                  "id": "msg1",
                  "messageBody": "First message",
                  "delaySeconds": 0
                },
                {
                  "id": "msg2",
                  "messageBody": "Second message",
                  "delaySeconds": 5
                }
              ]
            }
            """,
            200);
    assertThat(batch.path("successful").size()).isEqualTo(2);
    assertThat(batch.path("failed").size()).isZero();
    assertThat(batch.path("successful").get(0).path("id").asString()).isEqualTo("msg1");

    // Get Queue Attributes: one visible, one delayed
    JsonNode attributes = call("GET", base + "/queues/processing-queue/attributes", null, 200);
    assertThat(attributes.path("attributes").path("ApproximateNumberOfMessages").asString())
        .isEqualTo("1");
    assertThat(attributes.path("attributes").path("ApproximateNumberOfMessagesDelayed").asString())
        .isEqualTo("1");
    assertThat(attributes.path("attributes").path("VisibilityTimeout").asString()).isEqualTo("30");
    assertThat(attributes.path("attributes").path("QueueArn").asString())
        .isEqualTo("arn:aws:sqs:us-east-1:" + service + ":processing-queue");

    // Creating it again with the same settings is idempotent; different settings conflict
    call(
        "POST",
        base + "/queues",
        "{\"queueName\":\"processing-queue\",\"maxReceiveCount\":10}",
        200);
    JsonNode conflict =
        call(
            "POST",
            base + "/queues",
            "{\"queueName\":\"processing-queue\",\"delaySeconds\":3}",
            409);
    assertThat(conflict.path("error").path("code").asString()).isEqualTo("QueueNameExists");

    // The event and the metrics
    Long events =
        db.sql(
                "SELECT count(*) FROM cumulus_outbox WHERE event_type ="
                    + " 'dev.cumulus.queue.queue.created.v1' AND event_key = :key")
            .bind("key", service + "/processing-queue")
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(events).isEqualTo(1);
    metrics.refresh().block(Duration.ofSeconds(10));
    String prometheus =
        new String(
            http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    assertThat(prometheus)
        .contains("cumulus_queue_messages{")
        .contains("queue=\"processing-queue\"")
        .contains("cumulus_queue_oldest_message_age_seconds{");
  }

  @Test
  void longPollingWakesUpWhenAMessageArrives() {
    call("POST", base + "/queues", "{\"queueName\":\"waiting\"}", 201);
    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(
            () -> call("GET", base + "/queues/waiting/messages?waitTimeSeconds=20", null, 200));
    await().pollDelay(Duration.ofMillis(500)).until(() -> !waiting.isDone());
    long sentAt = System.nanoTime();
    call("POST", base + "/queues/waiting/messages", "{\"messageBody\":\"wake up\"}", 201);
    JsonNode received = waiting.join();
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(3));
    assertThat(received.path("messages").get(0).path("messageBody").asString())
        .isEqualTo("wake up");
  }

  @Test
  void deletingTheInstanceDeletesItsQueues() {
    call("POST", base + "/queues", "{\"queueName\":\"doomed\"}", 201);
    call("POST", base + "/queues/doomed/messages", "{\"messageBody\":\"bye\"}", 201);
    QueueTestInstances.announce(outbox, tenant, service, "my-queues", "deleted");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status("GET", base + "/queues", token, null) == 404);
    Long left =
        db.sql("SELECT count(*) FROM queues WHERE service_id = :service")
            .bind("service", service)
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(left).isZero();
  }

  @Test
  void otherTenantsAndOtherInstancesKeysAreRefused() {
    call("POST", base + "/queues", "{\"queueName\":\"private\"}", 201);
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(status("GET", base + "/queues/private", stranger, null)).isEqualTo(403);
    assertThat(
            status("POST", base + "/queues/private/messages", stranger, "{\"messageBody\":\"x\"}"))
        .isEqualTo(403);

    Map<String, Object> claims = TestJwtIssuer.userClaims(tenant, "admin");
    claims.put(CumulusClaims.API_KEY_ID, "key-1");
    claims.put(CumulusClaims.SERVICE_ID, UUID.randomUUID().toString());
    String otherInstanceKey = TestJwtIssuer.shared().token(claims);
    assertThat(status("GET", base + "/queues/private", otherInstanceKey, null)).isEqualTo(403);

    claims.put(CumulusClaims.SERVICE_ID, service);
    String ownKey = TestJwtIssuer.shared().token(claims);
    assertThat(status("GET", base + "/queues/private", ownKey, null)).isEqualTo(200);

    String unknown = "/api/queue/" + tenant + "/" + UUID.randomUUID() + "/queues";
    assertThat(status("GET", unknown, token, null)).isEqualTo(404);
    assertThat(status("GET", base + "/queues", null, null)).isEqualTo(401);
  }

  @Test
  void badInputIsA4xxInTheEnvelope() {
    call("POST", base + "/queues", "{\"queueName\":\"strict\"}", 201);
    assertCode(call("POST", base + "/queues", "{not json", 400), null);
    assertCode(
        call("POST", base + "/queues", "{\"queueName\":\"bad name!\"}", 400),
        "InvalidParameterValue");
    assertCode(
        call(
            "POST",
            base + "/queues",
            "{\"queueName\":\"x\",\"visibilityTimeoutSeconds\":\"soon\"}",
            400),
        null);
    assertCode(
        call("POST", base + "/queues", "{\"queueName\":\"x\",\"queueType\":\"Priority\"}", 400),
        "InvalidAttributeValue");
    assertCode(
        call("POST", base + "/queues", "{\"queueName\":\"x\",\"delaySeconds\":901}", 400),
        "InvalidAttributeValue");
    assertCode(call("POST", base + "/queues", "{}", 400), "MissingParameter");
    assertCode(call("GET", base + "/queues/missing", null, 404), "QueueDoesNotExist");
    assertCode(call("POST", base + "/queues/strict/messages", "{}", 400), "MissingParameter");
    // 256 KiB is the limit; a body far beyond what any message may be is refused unread (413).
    call(
        "POST",
        base + "/queues/strict/messages",
        "{\"messageBody\":\"" + "x".repeat(262_144) + "\"}",
        201);
    assertCode(
        call(
            "POST",
            base + "/queues/strict/messages",
            "{\"messageBody\":\"" + "x".repeat(262_145) + "\"}",
            400),
        "InvalidParameterValue");
    String huge = "{\"messageBody\":\"" + "x".repeat(2_000_000) + "\"}";
    assertThat(status("POST", base + "/queues/strict/messages", token, huge)).isEqualTo(413);
    assertCode(
        call(
            "POST",
            base + "/queues/strict/messages",
            "{\"messageBody\":\"x\",\"delaySeconds\":901}",
            400),
        "InvalidParameterValue");
    assertCode(
        call(
            "POST",
            base + "/queues/strict/messages",
            "{\"messageBody\":\"x\",\"messageAttributes\":{\"a\":{\"dataType\":\"Date\",\"stringValue\":\"x\"}}}",
            400),
        "InvalidParameterValue");
    assertCode(
        call("GET", base + "/queues/strict/messages?maxNumberOfMessages=11", null, 400),
        "InvalidParameterValue");
    assertCode(
        call("GET", base + "/queues/strict/messages?waitTimeSeconds=21", null, 400),
        "InvalidParameterValue");
    assertCode(
        call("GET", base + "/queues/strict/messages?maxNumberOfMessages=many", null, 400), null);
    assertCode(
        call("DELETE", base + "/queues/strict/messages/forged", null, 400),
        "ReceiptHandleIsInvalid");
    assertCode(
        call("POST", base + "/queues/strict/messages/batch", "{\"entries\":[]}", 400),
        "EmptyBatchRequest");
    assertCode(
        call(
            "POST",
            base + "/queues/strict/messages/batch",
            "{\"entries\":[{\"id\":\"a\",\"messageBody\":\"x\"},{\"id\":\"a\",\"messageBody\":\"y\"}]}",
            400),
        "BatchEntryIdsNotDistinct");
  }

  /**
   * function-service's queue event sources: receive, delete and hide on a tenant's behalf with the
   * internal secret; the queue's redrive policy applies; another tenant's queue does not exist.
   */
  @Test
  void theInternalEndpointReceivesDeletesAndHidesForTheOwningTenantOnly() {
    call("POST", base + "/queues", "{\"queueName\":\"esm-dlq\"}", 201);
    call(
        "POST",
        base + "/queues",
        "{\"queueName\":\"esm\",\"visibilityTimeoutSeconds\":30,\"maxReceiveCount\":2,"
            + "\"deadLetterQueueName\":\"esm-dlq\"}",
        201);
    call(
        "POST",
        base + "/queues/esm/messages",
        "{\"messageBody\":\"one\",\"messageAttributes\":{\"kind\":{\"stringValue\":\"a\","
            + "\"dataType\":\"String\"}}}",
        201);
    call("POST", base + "/queues/esm/messages", "{\"messageBody\":\"two\"}", 201);
    String internal = "/internal/queue/" + tenant + "/" + service + "/queues/esm";

    // Without the secret, or with another, nothing happens.
    assertThat(internalStatus(internal + "/receive", null, "{}")).isEqualTo(401);
    assertThat(internalStatus(internal + "/receive", "wrong", "{}")).isEqualTo(401);
    // Another tenant's name for the same instance and queue: the queue does not exist.
    String foreign = "/internal/queue/t-" + UUID.randomUUID() + "/" + service + "/queues/esm";
    assertThat(internalStatus(foreign + "/receive", INTERNAL_SECRET, "{}")).isEqualTo(404);

    JsonNode described =
        http.get()
            .uri(internal)
            .header("X-Cumulus-Internal-Secret", INTERNAL_SECRET)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    assertThat(described.path("visibilityTimeout").asInt()).isEqualTo(30);
    assertThat(described.path("fifo").asBoolean()).isFalse();
    assertThat(http.get().uri(internal).exchange().expectBody().returnResult().getStatus().value())
        .isEqualTo(401);

    JsonNode received =
        internal(internal + "/receive", "{\"maxMessages\":10,\"waitTimeSeconds\":1}");
    assertThat(received.path("visibilityTimeout").asInt()).isEqualTo(30);
    assertThat(received.path("messages").size()).isEqualTo(2);
    JsonNode one = received.path("messages").get(0);
    assertThat(one.path("body").asString()).isEqualTo("one");
    assertThat(one.path("md5OfBody").asString()).isEqualTo(md5("one"));
    assertThat(one.path("attributes").path("ApproximateReceiveCount").asString()).isEqualTo("1");
    assertThat(one.path("attributes").path("SentTimestamp").asString()).isNotBlank();
    assertThat(one.path("messageAttributes").path("kind").path("stringValue").asString())
        .isEqualTo("a");
    assertThat(one.path("messageAttributes").path("kind").path("dataType").asString())
        .isEqualTo("String");
    String twoHandle = received.path("messages").get(1).path("receiptHandle").asString();

    // "one" is done; "two" comes back at once and then, past maxReceiveCount, to the DLQ.
    JsonNode deleted =
        internal(
            internal + "/delete",
            "{\"receiptHandles\":[\"" + one.path("receiptHandle").asString() + "\"]}");
    assertThat(deleted.path("failed").size()).isZero();
    JsonNode shown =
        internal(
            internal + "/visibility",
            "{\"receiptHandles\":[\"" + twoHandle + "\"],\"visibilityTimeout\":0}");
    assertThat(shown.path("failed").size()).isZero();
    JsonNode again = internal(internal + "/receive", "{\"waitTimeSeconds\":1}");
    assertThat(again.path("messages").size()).isEqualTo(1);
    assertThat(again.path("messages").get(0).path("body").asString()).isEqualTo("two");
    assertThat(again.path("messages").get(0).path("attributes").path("ApproximateReceiveCount"))
        .hasToString("\"2\"");
    internal(
        internal + "/visibility",
        "{\"receiptHandles\":[\""
            + again.path("messages").get(0).path("receiptHandle").asString()
            + "\"],\"visibilityTimeout\":0}");
    assertThat(internal(internal + "/receive", "{\"waitTimeSeconds\":0}").path("messages").size())
        .isZero();
    JsonNode dead =
        internal(
            "/internal/queue/" + tenant + "/" + service + "/queues/esm-dlq/receive",
            "{\"waitTimeSeconds\":1}");
    assertThat(dead.path("messages").get(0).path("body").asString()).isEqualTo("two");
  }

  /**
   * No body, an empty one or a JSON null: the seed's 400 for a missing body, in the same envelope,
   * from each internal action; without the secret it stays a 401.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/receive", "/delete", "/visibility"})
  void anInternalActionWithoutABodyIsTheSeeds400(String action) {
    call("POST", base + "/queues", "{\"queueName\":\"bodies\"}", 201);
    JsonNode seed = call("POST", base + "/queues/bodies/messages", "", 400);
    assertThat(seed.path("error").path("message").asString())
        .isEqualTo("Request body is missing or empty");
    String uri = "/internal/queue/" + tenant + "/" + service + "/queues/bodies" + action;
    for (String missing : Arrays.asList(null, "", "null")) {
      JsonNode error = internalError(uri, missing);
      assertCode(error, seed.path("error").path("code").asString());
      assertThat(error.path("error").path("message").asString())
          .as("body %s", missing)
          .isEqualTo(seed.path("error").path("message").asString());
    }
    assertThat(internalStatus(uri, null, "")).isEqualTo(401);
  }

  JsonNode internal(String uri, String body) {
    byte[] bytes =
        http.post()
            .uri(uri)
            .header("X-Cumulus-Internal-Secret", INTERNAL_SECRET)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(bytes);
  }

  /** The 400 of an internal call with {@code body} (null: none). */
  JsonNode internalError(String uri, String body) {
    WebTestClient.RequestBodySpec spec =
        http.post().uri(uri).header("X-Cumulus-Internal-Secret", INTERNAL_SECRET);
    byte[] bytes =
        (body == null
                ? spec.exchange()
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange())
            .expectStatus()
            .isBadRequest()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(bytes);
  }

  int internalStatus(String uri, String secret, String body) {
    WebTestClient.RequestBodySpec spec = http.post().uri(uri);
    if (secret != null) {
      spec = spec.header("X-Cumulus-Internal-Secret", secret);
    }
    return spec.contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult()
        .getStatus()
        .value();
  }

  static void assertCode(JsonNode error, String code) {
    assertThat(error.path("error").path("message").asString()).isNotBlank();
    assertThat(error.has("requestId")).isTrue();
    if (code != null) {
      assertThat(error.path("error").path("code").asString()).isEqualTo(code);
    }
  }

  JsonNode call(String method, String uri, String body, int expected) {
    WebTestClient.RequestBodySpec spec =
        http.method(org.springframework.http.HttpMethod.valueOf(method))
            .uri(uri)
            .header("Authorization", "Bearer " + token);
    WebTestClient.ResponseSpec response =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    byte[] bytes =
        response
            .expectStatus()
            .isEqualTo(expected)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return bytes == null ? JSON.missingNode() : JSON.readTree(bytes);
  }

  void status(String method, String uri, String bearer, String body, int expected) {
    assertThat(status(method, uri, bearer, body)).isEqualTo(expected);
  }

  int status(String method, String uri, String bearer, String body) {
    WebTestClient.RequestBodySpec spec =
        http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri);
    if (bearer != null) {
      spec = spec.header("Authorization", "Bearer " + bearer);
    }
    WebTestClient.ResponseSpec response =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    // expectBody() reads (and so releases) the body; returnResult(byte[].class) would not.
    return response.expectBody().returnResult().getStatus().value();
  }

  static String md5(String text) {
    return dev.cumulus.queue.queues.domain.MessageDigests.md5Hex(text);
  }
}
