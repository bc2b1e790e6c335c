package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.scheduler.Schedulers;

/**
 * Issue 25's "done when", through the gateway: a new kafka instance, Kafka credentials from the
 * API, an upload to storage, and the storage event read from {@code tenant.<tenantId>.events} by
 * Kafka's own console consumer ({@code org.apache.kafka.tools.consumer.ConsoleConsumer} of
 * kafka-tools, run as its own JVM as {@code bin/kafka-console-consumer.sh} runs it) over the SASL
 * listener with those credentials, exactly as docs/kafka.md shows it.
 */
class TenantEventsConsoleConsumerIT {

  private static Cumulus cumulus;

  @BeforeAll
  static void start() {
    cumulus = Cumulus.withTenantKafka();
  }

  @AfterAll
  static void stop() {
    if (cumulus != null) {
      cumulus.close();
    }
  }

  @Test
  void aTenantWatchesItsStorageEventsWithTheConsoleConsumer() throws Exception {
    Api api =
        new Api(cumulus.viaGateway().mutate().responseTimeout(Duration.ofSeconds(30)).build());
    String admin = cumulus.adminToken(api);

    // A kafka instance; kafka-service learns of it from auth-service's event
    String serviceId =
        api.post(
                "/api/services",
                bearer(admin),
                Map.of("serviceName", "events", "serviceType", "kafka"))
            .expect(201)
            .at("id");
    String kafka = "/api/kafka/default/" + serviceId;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get(kafka + "/topics", bearer(admin)).status() == 200);
    String prefix = api.get(kafka + "/cluster/info", bearer(admin)).expect(200).at("topicPrefix");
    String tenant = prefix.split("\\.")[1];

    // Kafka credentials: a SCRAM user whose ACLs reach the tenant's event topic
    Api.Answer credential =
        api.post(kafka + "/credentials", bearer(admin), Map.of("description", "console"))
            .expect(201);
    String eventTopic = credential.at("eventTopic");
    assertThat(eventTopic).isEqualTo("tenant." + tenant + ".events");
    Path config = Files.createTempFile("tenant", ".properties");
    Files.writeString(
        config,
        """
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=SCRAM-SHA-512
        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";
        """
            .formatted(credential.<String>at("username"), credential.<String>at("password")));

    // The console consumer, watching before the upload
    Process console =
        new ProcessBuilder(
                javaCommand(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.apache.kafka.tools.consumer.ConsoleConsumer",
                "--bootstrap-server",
                credential.<String>at("bootstrapServers"),
                "--consumer.config",
                config.toString(),
                "--topic",
                eventTopic,
                "--group",
                credential.<String>at("groupPrefix") + "watch",
                "--from-beginning",
                "--property",
                "print.headers=true",
                "--property",
                "print.key=true")
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofPlatform().daemon().start(() -> readLines(console, lines));
    try {
      // An upload to a new storage instance of the same tenant
      String storageId = cumulus.newStorageInstance(api, "photos").at("id");
      String storage = "/api/s3storage/default/" + storageId;
      api.post(storage + "/buckets", bearer(admin), Map.of("name", "holiday")).expect(201);
      String key = "beach-" + UUID.randomUUID() + ".jpg";
      MultipartBodyBuilder form = new MultipartBodyBuilder();
      form.part(
              "file",
              new ByteArrayResource("sand".getBytes(StandardCharsets.UTF_8)) {
                @Override
                public String getFilename() {
                  return "beach.jpg";
                }
              })
          .contentType(org.springframework.http.MediaType.IMAGE_JPEG);
      form.part("key", key);
      cumulus
          .viaGateway()
          .post()
          .uri(storage + "/buckets/holiday/objects")
          .headers(bearer(admin))
          .body(BodyInserters.fromMultipartData(form.build()))
          .exchange()
          .expectStatus()
          .isCreated();

      // The event arrives at the console: CloudEvent headers, the object as the record's key
      String recordKey = "\t" + storageId + "/holiday/" + key + "\t";
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(lines)
                      .as("console consumer output")
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .contains("ce_type:dev.cumulus.storage.object.created.v1")
                                  .contains("ce_tenantid:" + tenant)
                                  .contains(recordKey)
                                  .contains("\"bucket\": \"holiday\"")));
      // Once: the upload's event is on the topic one time
      Thread.sleep(2000);
      assertThat(lines.stream().filter(line -> line.contains(recordKey))).hasSize(1);
    } finally {
      console.destroy();
      if (!console.waitFor(20, TimeUnit.SECONDS)) {
        console.destroyForcibly();
      }
      Files.deleteIfExists(config);
    }
  }

  private static void readLines(Process process, List<String> lines) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ended) {
      // the process was stopped
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * Records pushed over a WebSocket (the v3 API's push mode) reach a client through the gateway.
   */
  @Test
  void recordsArePushedOverAWebSocketThroughTheGateway() {
    Api api =
        new Api(cumulus.viaGateway().mutate().responseTimeout(Duration.ofSeconds(30)).build());
    String admin = cumulus.adminToken(api);
    String id =
        api.post(
                "/api/services",
                bearer(admin),
                Map.of("serviceName", "push", "serviceType", "kafka"))
            .expect(201)
            .at("id");
    String cluster = "/kafka/v3/clusters/" + id;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get(cluster + "/topics", bearer(admin)).status() == 200);
    api.post(
            cluster + "/topics",
            bearer(admin),
            Map.of("topic_name", "ticks", "partitions_count", 1))
        .expect(201);
    Runnable produce =
        () ->
            api.post(
                    cluster + "/topics/ticks/records",
                    bearer(admin),
                    Map.of("value", Map.of("type", "STRING", "data", "tick")))
                .expect(200);
    produce.run();
    URI socket =
        URI.create(
            "ws://127.0.0.1:"
                + cumulus.gateway.port()
                + cluster
                + "/topics/ticks/records/ws?consumer_group=e2e");
    HttpHeaders headers = new HttpHeaders();
    headers.setBearerAuth(admin);
    List<String> pushed = new CopyOnWriteArrayList<>();
    new ReactorNettyWebSocketClient()
        .execute(
            socket,
            headers,
            session ->
                session
                    .receive()
                    .map(WebSocketMessage::getPayloadAsText)
                    .publishOn(Schedulers.boundedElastic()) // produce off the client's event loop
                    .doOnNext(
                        text -> {
                          pushed.add(text);
                          if (pushed.size() == 1) {
                            produce.run(); // the second record arrives while the socket is open
                          }
                        })
                    .take(2)
                    .then(session.close()))
        .block(Duration.ofSeconds(60));
    assertThat(pushed)
        .hasSize(2)
        .allSatisfy(
            text -> assertThat(text).contains("\"kind\":\"KafkaRecord\"").contains("dGljaw=="));
    assertThatThrownBy(
            () ->
                new ReactorNettyWebSocketClient()
                    .execute(socket, new HttpHeaders(), session -> session.receive().then())
                    .block(Duration.ofSeconds(10)))
        .hasMessageContaining("401");
  }

  /**
   * The console's Kafka page in the browser ({@code console/e2e/kafka-flow.mjs}) on this stack: a
   * topic created, a record produced and read back, a live view that shows a record produced while
   * it follows and, once stopped, leaves no consumer group behind. Checked through the API.
   */
  @Test
  void theConsoleCreatesATopicProducesAndFollowsItLive() throws Exception {
    Properties made = ConsoleBrowserIT.runFlow(cumulus, "kafka-flow.mjs", Map.of());
    Api api = new Api(cumulus.viaGateway());
    String admin = cumulus.adminToken(api);
    String kafka = "/api/kafka/default/" + made.getProperty("instanceId");
    String topic = made.getProperty("topic");
    assertThat(api.get(kafka + "/topics", bearer(admin)).expect(200).list("topics"))
        .extracting(t -> t.get("name"))
        .contains(topic);
    List<Map<String, Object>> records =
        api.get(
                kafka
                    + "/topics/"
                    + topic
                    + "/messages?from=earliest&maxMessages=50&timeoutMs=5000",
                bearer(admin))
            .expect(200)
            .list("messages");
    assertThat(records).extracting(r -> r.get("value")).contains(made.getProperty("value"));
    // What the live view showed was produced from the page too.
    assertThat(records)
        .extracting(r -> String.valueOf(r.get("value")))
        .anyMatch(v -> v.startsWith("live "));
    // The live view deleted its console-tail-… group when it stopped (the page does it after the
    // read in flight, so give it a moment).
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        api.get(kafka + "/consumer-groups", bearer(admin))
                            .expect(200)
                            .list("consumerGroups"))
                    .extracting(g -> String.valueOf(g.get("groupId")))
                    .noneMatch(g -> g.startsWith("console-tail-")));
  }
}
