package dev.cumulus.platform.web;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The platform's web behaviour in a running service against real PostgreSQL and Kafka: every
 * family's envelope for framework and application errors, and request/tenant context reaching the
 * MDC, outgoing calls and published events.
 */
@SpringBootTest(
    classes = EnvelopeTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=envelope-test",
      "test.consumer.enabled=true",
      "spring.cloud.function.definition=thingEvents",
      "spring.cloud.stream.bindings.thingEvents-in-0.destination=platform-things",
      "spring.cloud.stream.bindings.thingEvents-in-0.group=envelope-test",
      "cumulus.security.public-paths=/ctx/echo",
      "cumulus.security.self-authenticated-paths=/ctx/self, /ctx/self/**"
    })
class PlatformWebIT {

  @LocalServerPort int port;
  WebTestClient http;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "platform_web");
  }

  @BeforeEach
  void client() {
    // Every probe but /ctx/echo needs a token, as in any service; of tenant t1, whose instance
    // paths (/api/s3storage/t1/...) the probes use (every service applies TenancyRules).
    http =
        TestClients.http(port)
            .mutate()
            .defaultHeader("Authorization", "Bearer " + TestJwtIssuer.shared().token("t1"))
            .build();
  }

  /** Each family's "things" path and where its envelope puts the human-readable message. */
  static Stream<Arguments> messageLocations() {
    return Stream.of(
        Arguments.of("/api/s3storage/t1/s1/things", "$.error.message"),
        Arguments.of("/v1/things", "$.message"),
        Arguments.of("/api/containers/things", "$.message"),
        Arguments.of("/api/tenants/things/", "$.error"),
        Arguments.of("/api/orders/things", "$.error.message"));
  }

  @ParameterizedTest
  @MethodSource("messageLocations")
  void malformedJsonIsA400InTheFamilyEnvelope(String path, String messagePath) {
    post(path, "{\"name\": ")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath(messagePath)
        .value(m -> assertThat((String) m).contains("Malformed JSON"));
  }

  @ParameterizedTest
  @MethodSource("messageLocations")
  void wrongTypeNamesTheField(String path, String messagePath) {
    post(path, "{\"name\":\"a\",\"size\":\"big\"}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath(messagePath)
        .value(m -> assertThat((String) m).contains("size"));
  }

  @ParameterizedTest
  @CsvSource({
    "/api/s3storage/t1/s1/things, 400, $.error.details",
    "/v1/things, 400, $.message",
    "/api/containers/things, 422, $.error.fields.name[0]",
    "/api/tenants/things/, 400, $.error",
    "/api/orders/things, 400, $.error.message"
  })
  void missingRequiredFieldIsNamed(String path, int status, String fieldPath) {
    post(path, "{\"size\":2,\"unknown\":true}")
        .expectStatus()
        .isEqualTo(status)
        .expectBody()
        .jsonPath(fieldPath)
        .value(m -> assertThat((String) m).containsAnyOf("name", "must not be blank"));
  }

  @Test
  void badQueryParameterIsNamedAndNotCalledMalformedJson() {
    http.get()
        .uri("/ctx/call?port=abc&tenant=t")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.error.message")
        .value(m -> assertThat((String) m).contains("'port'").doesNotContain("JSON"));
  }

  @Test
  void validationNamesTheJsonPropertyNotTheJavaField() {
    post("/api/auth/signups", "{\"display_name\":\"Alice\"}")
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.error.fields.user_id")
        .exists()
        .jsonPath("$.error.fields.userId")
        .doesNotExist()
        .jsonPath("$.message")
        .value(m -> assertThat((String) m).startsWith("Validation failed: user_id "));
  }

  @Test
  void unknownFieldsAreIgnored() {
    post("/v1/things", "{\"name\":\"a\",\"size\":2,\"colour\":\"blue\"}")
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("a");
  }

  @Test
  void eachFamilyRendersNotFoundItsOwnWay() {
    http.get()
        .uri("/api/s3storage/t1/s1/things/missing")
        .header("X-Request-Id", "rid-42")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("NotFound")
        .jsonPath("$.error.message")
        .isEqualTo("thing 'missing' not found")
        .jsonPath("$.requestId")
        .isEqualTo("rid-42");
    http.get()
        .uri("/v1/things/missing")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"error\":\"Not Found\",\"message\":\"thing 'missing' not found\"}", true);
    http.get()
        .uri("/api/containers/things/missing")
        .header("X-Request-Id", "rid-43")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.success")
        .isEqualTo(false)
        .jsonPath("$.error.code")
        .isEqualTo("RESOURCE_NOT_FOUND")
        .jsonPath("$.meta.request_id")
        .isEqualTo("rid-43");
    http.get()
        .uri("/api/tenants/things/missing/")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json(
            "{\"status\":\"failure\",\"error\":\"thing 'missing' not found\",\"data\":null}", true);
    http.get()
        .uri("/api/orders/things/missing")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"success\":false,\"error\":{\"message\":\"thing 'missing' not found\"}}", true);
  }

  @ParameterizedTest
  @CsvSource({
    "/api/s3storage/t1/s1/nothing-here, $.error.code",
    "/v1/nothing-here, $.error",
    "/api/containers/nothing-here, $.error.code",
    "/api/tenants/nothing-here/, $.status",
    "/api/orders/nothing-here, $.success"
  })
  void unknownRoutesGetTheFamilyEnvelope(String path, String familyField) {
    http.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath(familyField)
        .exists();
  }

  @ParameterizedTest
  @CsvSource({
    "/api/s3storage/t1/s1/things/boom",
    "/v1/things/boom",
    "/api/containers/things/boom",
    "/api/tenants/things/boom/",
    "/api/orders/things/boom"
  })
  void unexpectedFailuresAre500WithoutInternals(String path) {
    http.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .is5xxServerError()
        .expectBody(String.class)
        .value(
            body ->
                assertThat(body)
                    .contains("Internal server error")
                    .doesNotContain("secret internal detail")
                    .doesNotContain("IllegalStateException")
                    .doesNotContain("at dev.cumulus"));
  }

  @Test
  void wrongMethodIs405InTheEnvelope() {
    http.get()
        .uri("/v1/things")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("Method Not Allowed");
  }

  @Test
  void requestIdIsGeneratedWhenAbsentAndUnsafeOnesAreReplaced() {
    http.get()
        .uri("/v1/things/missing")
        .exchange()
        .expectHeader()
        .value("X-Request-Id", id -> assertThat(UUID.fromString(id)).isNotNull());
    http.get()
        .uri("/v1/things/missing")
        .header("X-Request-Id", "bad id\"with spaces")
        .exchange()
        .expectHeader()
        .value("X-Request-Id", id -> assertThat(UUID.fromString(id)).isNotNull());
  }

  @Test
  void requestAndTenantIdsReachTheMdcOfHandleOperatorsOnOtherThreads() {
    http.get()
        .uri("/ctx/mdc?tenant=tenant-a")
        .header("X-Request-Id", "rid-mdc")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.thread")
        .value(t -> assertThat((String) t).contains("boundedElastic"))
        .jsonPath("$.requestId")
        .isEqualTo("rid-mdc")
        .jsonPath("$.tenantId")
        .isEqualTo("tenant-a");
  }

  @Test
  void outgoingWebClientCallsCarryRequestAndTenantIds() {
    http.get()
        .uri("/ctx/call?port=" + port + "&tenant=tenant-b")
        .header("X-Request-Id", "rid-call")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.requestId")
        .isEqualTo("rid-call")
        .jsonPath("$.tenantId")
        .isEqualTo("tenant-b");
  }

  @Test
  void eventsWrittenDuringARequestAreRelayedAsCloudEventsWithContext() {
    String topic = "platform-web-" + UUID.randomUUID();
    String eventId = createEvent(topic, "tenant-c", "rid-event");

    ReceivedEvent event = consumeOne(topic);
    assertThat(event.id()).isEqualTo(eventId);
    assertThat(event.type()).isEqualTo("dev.cumulus.envelope-test.thing.created.v1");
    assertThat(event.source()).isEqualTo("/envelope-test");
    assertThat(event.tenantId()).isEqualTo("tenant-c");
    assertThat(event.requestId()).isEqualTo("rid-event");
    assertThat(event.data()).contains("\"id\"");
  }

  @Test
  void springCloudStreamConsumersReceiveRelayedEventsOnceWithTheirTenant() {
    String eventId = createEvent("platform-things", "tenant-d", "rid-stream");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!EnvelopeTestApplication.HANDLED.containsKey(eventId) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    assertThat(EnvelopeTestApplication.HANDLED).containsEntry(eventId, "tenant-d");
  }

  static ReceivedEvent consumeOne(String topic) {
    try (var consumer = TestClients.kafkaConsumer(topic)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          return CloudEventHeaders.read(record.headers(), record.value());
        }
      }
    }
    throw new AssertionError("No event on " + topic + " within 30 s");
  }

  private String createEvent(String topic, String tenant, String requestId) {
    return http.post()
        .uri("/ctx/event?topic=" + topic + "&tenant=" + tenant)
        .header("X-Request-Id", requestId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody()
        .get("eventId")
        .toString();
  }

  private WebTestClient.ResponseSpec post(String path, String json) {
    return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
  }

  /** Each family's path and a field only its envelope has. */
  static Stream<Arguments> familyFields() {
    return Stream.of(
        Arguments.of("/api/s3storage/t1/s1/things/x", "$.error.code", "Unauthorized"),
        Arguments.of("/v1/things/x", "$.error", "Unauthorized"),
        Arguments.of("/api/containers/things/x", "$.error.code", "AUTHENTICATION_REQUIRED"),
        Arguments.of("/api/tenants/things/x/", "$.status", "failure"),
        Arguments.of("/api/orders/things/x", "$.success", false));
  }

  @ParameterizedTest
  @MethodSource("familyFields")
  void requestsWithoutATokenGetTheFamily401(String path, String field, Object value) {
    TestClients.http(port)
        .get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("WWW-Authenticate", "Bearer")
        .expectBody()
        .jsonPath(field)
        .isEqualTo(value);
  }

  /** Tokens a service must refuse, however plausible they look. */
  static Stream<Arguments> refusedTokens() {
    TestJwtIssuer trusted = TestJwtIssuer.shared();
    String valid = trusted.token("tenant-web");
    String[] parts = valid.split("\\.");
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    Map<String, Object> otherTenant = TestJwtIssuer.userClaims("tenant-evil", "admin");
    String tamperedPayload = b64(jsonOf(otherTenant));
    return Stream.of(
        Arguments.of("signed by a foreign key", TestJwtIssuer.start().token("tenant-web")),
        Arguments.of(
            "expired",
            trusted.token(TestJwtIssuer.userClaims("tenant-web"), Duration.ofMinutes(-5))),
        Arguments.of("alg none", header + "." + parts[1] + "."),
        Arguments.of("tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2]),
        Arguments.of(
            "wrong issuer",
            trusted.token(withIssuer(TestJwtIssuer.userClaims("tenant-web"), "someone-else"))),
        Arguments.of("not a JWT", "abc.def"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void refusesTokensThatAreNotAuthentic(String why, String token) {
    TestClients.http(port)
        .get()
        .uri("/api/s3storage/t1/s1/things/x")
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        .expectBody()
        .jsonPath("$.error.message")
        .isEqualTo("Invalid or expired token");
  }

  @Test
  void theVerifiedTokensTenantReachesHandlersAndLogsButAHeaderDoesNot() {
    http.get()
        .uri("/ctx/whoami")
        .header("X-Cumulus-Tenant-Id", "spoofed")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.principalTenant")
        .isEqualTo("t1")
        .jsonPath("$.mdcTenant")
        .isEqualTo("t1");
  }

  @Test
  void actuatorAndConfiguredPublicPathsNeedNoToken() {
    WebTestClient anonymous = TestClients.http(port);
    anonymous.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    anonymous
        .get()
        .uri("/ctx/echo")
        .header("X-Request-Id", "rid-public")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void selfAuthenticatedPathsBypassSpringSecurityAndNothingElseDoes() {
    WebTestClient anonymous = TestClients.http(port);
    // Reached without a token, and without the security headers Spring Security adds.
    anonymous
        .get()
        .uri("/ctx/self/probe")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist("X-Content-Type-Options")
        .expectHeader()
        .doesNotExist("Cache-Control");
    // A public path still goes through the chain (headers added), a protected one still needs a
    // token, including one that only starts like the excluded pattern.
    anonymous
        .get()
        .uri("/ctx/echo")
        .header("X-Request-Id", "rid-self")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("X-Content-Type-Options", "nosniff");
    anonymous.get().uri("/ctx/whoami").exchange().expectStatus().isUnauthorized();
    anonymous.get().uri("/ctx/selfish").exchange().expectStatus().isUnauthorized();
  }

  /**
   * A keep-alive connection is still read after pipelined requests. Under Reactor Netty 1.3.6 a
   * request that arrived while the one before it was answered on another thread, and was then
   * answered at once itself, left the connection unread (reactor-netty#4361): the client's next
   * request on it hung until the client gave up, 30 s for the AWS SDK after an S3 error. Fixed in
   * Reactor Netty 1.3.8 (the root pom's reactor-bom.version): this fails on the older one.
   */
  @Test
  void aKeepAliveConnectionIsStillReadAfterPipelinedRequests() throws Exception {
    String token = TestJwtIssuer.shared().token("tenant-web");
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      var out = socket.getOutputStream();
      var in = new java.io.BufferedInputStream(socket.getInputStream());
      // /ctx/mdc answers from another thread; /ctx/echo, queued behind it, on the event loop.
      out.write((get("/ctx/mdc?tenant=a", token) + get("/ctx/echo", null)).getBytes(US_ASCII));
      assertThat(statusLineOf(in)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(statusLineOf(in)).isEqualTo("HTTP/1.1 200 OK");

      out.write(get("/ctx/echo", null).getBytes(US_ASCII));
      assertThat(statusLineOf(in)).isEqualTo("HTTP/1.1 200 OK"); // SocketTimeoutException on 1.3.6
    }
  }

  private static String get(String path, String token) {
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nX-Request-Id: keep-alive\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + "\r\n";
  }

  /** Reads one whole response with a Content-Length body and returns its status line. */
  private static String statusLineOf(java.io.InputStream in) throws java.io.IOException {
    String status = lineOf(in);
    long length = -1;
    for (String header = lineOf(in); !header.isEmpty(); header = lineOf(in)) {
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Long.parseLong(header.substring(15).trim());
      }
    }
    assertThat(length).as("Content-Length of " + status).isNotNegative();
    assertThat(in.readNBytes((int) length)).hasSize((int) length);
    return status;
  }

  private static String lineOf(java.io.InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new java.io.EOFException("connection closed after: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static Map<String, Object> withIssuer(Map<String, Object> claims, String issuer) {
    claims.put("iss", issuer);
    return claims;
  }

  private static String b64(String json) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String jsonOf(Map<String, Object> claims) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(claims);
    all.put("iss", "cumulus");
    all.put("exp", java.time.Instant.now().plusSeconds(3600).getEpochSecond());
    return new tools.jackson.databind.ObjectMapper().writeValueAsString(all);
  }
}
