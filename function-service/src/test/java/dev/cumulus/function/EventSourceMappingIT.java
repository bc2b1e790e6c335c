package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.cumulus.function.sources.application.QueuePollers;
import dev.cumulus.function.sources.messaging.KafkaSources;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import tools.jackson.databind.JsonNode;

/**
 * Event source mappings end to end: records of a tenant's Kafka topic and object events of a
 * tenant's bucket invoke a Python function in batches (the function reports every batch it got to
 * an HTTP sink of the test, so the records really reached it), failures are retried and then
 * dead-lettered, a disabled mapping stops invoking, and the Lambda API (SDK and CLI) answers
 * Lambda's errors.
 */
class EventSourceMappingIT extends FunctionTestSupport {

  /** Posts the event it got to SINK, then fails when FAIL is set. */
  static final String HANDLER =
      "import json, os, urllib.request\n"
          + "def handler(event, context):\n"
          + "    req = urllib.request.Request(os.environ['SINK'], data=json.dumps(event).encode(),"
          + " headers={'Content-Type': 'application/json'})\n"
          + "    urllib.request.urlopen(req, timeout=10).read()\n"
          + "    if os.environ.get('FAIL'):\n"
          + "        raise ValueError('cannot take this batch')\n"
          + "    return {'ok': True}\n";

  @Autowired KafkaSources kafkaSources;
  @Autowired QueuePollers queuePollers;
  @Autowired EventSourceMappingRepository mappings;

  HttpServer sink;
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  String[] keys;
  LambdaClient lambda;

  @BeforeEach
  void sinkAndClient() throws IOException {
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/",
        exchange -> {
          received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    sink.start();
    keys = keysFor(tenant, service);
    lambda =
        LambdaClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port + "/lambda"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(keys[0], keys[1])))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
            .build();
  }

  @AfterEach
  void stopSink() {
    sink.stop(0);
  }

  void function(String name, boolean fail) {
    function(name, fail, 30);
  }

  void function(String name, boolean fail, int timeout) {
    String env =
        "\"SINK\":\"http://127.0.0.1:"
            + sink.getAddress().getPort()
            + "/\""
            + (fail ? ",\"FAIL\":\"1\"" : "");
    createFunction(
        name,
        "python3.11",
        "app.handler",
        "app.py",
        HANDLER,
        "\"allowNetwork\":true,\"timeout\":"
            + timeout
            + ",\"environment\":{\"variables\":{"
            + env
            + "}}");
  }

  /** auth-service's service.created for an instance of another type, and wait until it counts. */
  String sourceInstance(String tenantId, String type) {
    String id = UUID.randomUUID().toString();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", "src-" + id);
    data.put("serviceType", type);
    data.put("status", "running");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "service.created");
    payload.put("tenantId", tenantId);
    payload.put("serviceId", id);
    payload.put("data", data);
    outbox
        .appendForTenant(tenantId, InstanceRegistry.TOPIC, id, "service", "created", payload)
        .block(Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.sql("SELECT count(*) FROM source_instances WHERE service_id = :id")
                        .bind("id", id)
                        .map(r -> r.get(0, Long.class))
                        .one()
                        .block()
                    == 1);
    return id;
  }

  static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** storage-service's object event, as its outbox relay writes it. */
  static void objectEvent(
      String tenantId, String storageId, String bucket, String key, String verb) {
    String id = UUID.randomUUID().toString();
    String data =
        JSON.writeValueAsString(
            Map.of(
                "tenantId", tenantId,
                "serviceId", storageId,
                "bucket", bucket,
                "key", key,
                "size", 5,
                "etag", "\"5d41402abc4b2a76b9719d911017c592\"",
                "contentType", "text/plain"));
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            "cumulus.storage",
            (storageId + "/" + bucket + "/" + key).getBytes(StandardCharsets.UTF_8),
            data.getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", "1.0");
    headers.put("ce_id", id);
    headers.put("ce_source", "/storage");
    headers.put("ce_type", "dev.cumulus.storage.object." + verb + ".v1");
    headers.put("ce_time", OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    headers.put("ce_subject", storageId + "/" + bucket + "/" + key);
    headers.put("content-type", "application/json");
    headers.put("ce_tenantid", tenantId);
    headers.put("ce_requestid", "req-" + id);
    headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(record);
      producer.flush();
    }
  }

  List<String> kafkaValues() {
    List<String> values = new ArrayList<>();
    for (JsonNode event : received) {
      event
          .path("records")
          .properties()
          .forEach(
              partition ->
                  partition
                      .getValue()
                      .forEach(
                          r ->
                              values.add(
                                  new String(
                                      java.util.Base64.getDecoder()
                                          .decode(r.path("value").asString()),
                                      StandardCharsets.UTF_8))));
    }
    return values;
  }

  List<String> s3Keys() {
    List<String> keys = new ArrayList<>();
    for (JsonNode event : received) {
      event
          .path("Records")
          .forEach(r -> keys.add(r.path("s3").path("object").path("key").asString()));
    }
    return keys;
  }

  @Test
  void aKafkaTopicMappingInvokesAPythonFunctionWithBatchesOfTheTopicsRecords() throws Exception {
    function("orders-fn", false);
    String kafka = sourceInstance(tenant, "Kafka");
    String topic = "tenant." + tenant + ".i." + kafka + ".orders";
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 12; i++) {
        producer.send(
            new ProducerRecord<>(
                topic,
                ("k" + i).getBytes(StandardCharsets.UTF_8),
                ("order-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    String arn = "arn:aws:kafka:us-east-1:" + kafka + ":cluster/" + kafka + "/main";
    CreateEventSourceMappingResponse created =
        lambda.createEventSourceMapping(
            b ->
                b.functionName("orders-fn")
                    .eventSourceArn(arn)
                    .topics("orders")
                    .batchSize(5)
                    .startingPosition(EventSourcePosition.TRIM_HORIZON));
    assertThat(created.uuid()).isNotBlank();
    assertThat(created.state()).isEqualTo("Enabled");
    assertThat(created.batchSize()).isEqualTo(5);
    assertThat(created.topics()).containsExactly("orders");
    assertThat(created.functionArn()).endsWith(":function:orders-fn");

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(kafkaValues()).hasSize(12));
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < 12; i++) {
      expected.add("order-" + i);
    }
    assertThat(new TreeSet<>(kafkaValues())).isEqualTo(expected);
    for (JsonNode event : received) {
      assertThat(event.path("eventSource").asString()).isEqualTo("aws:kafka");
      assertThat(event.path("eventSourceArn").asString()).isEqualTo(arn);
      int size = 0;
      for (var partition : event.path("records").properties()) {
        assertThat(partition.getKey()).startsWith("orders-");
        size += partition.getValue().size();
      }
      assertThat(size).isBetween(1, 5);
    }

    // Committed: later records only, none again.
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "late".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> kafkaValues().contains("late"));
    assertThat(kafkaValues()).hasSize(13);

    GetEventSourceMappingResponse got = lambda.getEventSourceMapping(b -> b.uuid(created.uuid()));
    assertThat(got.lastProcessingResult()).isEqualTo("OK");
    assertThat(got.eventSourceArn()).isEqualTo(arn);
    assertThat(
            lambda.listEventSourceMappings(b -> b.functionName("orders-fn")).eventSourceMappings())
        .extracting(m -> m.uuid())
        .containsExactly(created.uuid());
    lambda.deleteEventSourceMapping(b -> b.uuid(created.uuid()));
    assertThatThrownBy(() -> lambda.getEventSourceMapping(b -> b.uuid(created.uuid())))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void objectEventsOfABucketInvokeTheFunctionAsS3EventNotifications() {
    function("photos-fn", false);
    String storage = sourceInstance(tenant, "S3Storage");
    String uuid =
        lambda
            .createEventSourceMapping(
                b ->
                    b.functionName("photos-fn")
                        .eventSourceArn("arn:aws:s3:us-east-1:" + storage + ":photos")
                        .batchSize(10))
            .uuid();
    objectEvent(tenant, storage, "photos", "cat.jpg", "created");
    objectEvent(tenant, storage, "other-bucket", "dog.jpg", "created");
    // Another tenant claiming this instance's bucket in its event reaches no mapping of ours.
    objectEvent("t-intruder", storage, "photos", "intruder.jpg", "created");
    objectEvent(tenant, storage, "photos", "old.jpg", "deleted");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(s3Keys()).contains("cat.jpg", "old.jpg"));
    assertThat(s3Keys()).doesNotContain("dog.jpg", "intruder.jpg");
    List<String> names = new ArrayList<>();
    for (JsonNode event : received) {
      for (JsonNode r : event.path("Records")) {
        assertThat(r.path("eventSource").asString()).isEqualTo("aws:s3");
        assertThat(r.path("s3").path("bucket").path("name").asString()).isEqualTo("photos");
        assertThat(r.path("s3").path("configurationId").asString()).isEqualTo(uuid);
        names.add(r.path("eventName").asString());
        if ("cat.jpg".equals(r.path("s3").path("object").path("key").asString())) {
          assertThat(r.path("s3").path("object").path("size").asLong()).isEqualTo(5);
          assertThat(r.path("s3").path("object").path("eTag").asString())
              .isEqualTo("5d41402abc4b2a76b9719d911017c592");
        }
      }
    }
    assertThat(names).contains("ObjectCreated:Put", "ObjectRemoved:Delete");
  }

  @Test
  void aFailingBatchIsRetriedThenDeadLetteredWithTheFailedEvent() {
    function("failing-fn", true);
    String storage = sourceInstance(tenant, "S3Storage");
    String uuid =
        lambda
            .createEventSourceMapping(
                b ->
                    b.functionName("failing-fn")
                        .eventSourceArn("arn:aws:s3:us-east-1:" + storage + ":inbox")
                        .maximumRetryAttempts(1))
            .uuid();
    objectEvent(tenant, storage, "inbox", "bad.csv", "created");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode dead = call("GET", base + "/functions/failing-fn/dead-letters", null, 200);
              assertThat(dead.path("count").asInt()).isEqualTo(1);
              assertThat(dead.path("invocations").get(0).path("attempts").asInt()).isEqualTo(2);
              assertThat(dead.path("invocations").get(0).path("errorType").asString())
                  .isEqualTo("ValueError");
            });
    // The first attempt and one retry, then no more.
    assertThat(s3Keys()).containsExactly("bad.csv", "bad.csv");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                outboxEvents("dev.cumulus.function.function.failed.v1", service + "/failing-fn")
                    == 1);
    String data =
        db.sql(
                "SELECT payload::text FROM cumulus_outbox WHERE event_type ="
                    + " 'dev.cumulus.function.function.failed.v1' AND event_key = :key")
            .bind("key", service + "/failing-fn")
            .map(r -> r.get(0, String.class))
            .one()
            .block();
    assertThat(data).contains(uuid).contains("ValueError").contains("dead_lettered");
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(uuid)).lastProcessingResult())
        .startsWith("PROBLEM");
    // The mapping goes on with later records.
    received.clear();
    objectEvent(tenant, storage, "inbox", "next.csv", "created");
    await().atMost(Duration.ofSeconds(30)).until(() -> s3Keys().contains("next.csv"));
  }

  @Test
  void aDisabledMappingStopsInvokingAndResumesWhenEnabled() throws Exception {
    function("toggle-fn", false);
    String storage = sourceInstance(tenant, "S3Storage");
    String uuid =
        lambda
            .createEventSourceMapping(
                b ->
                    b.functionName("toggle-fn")
                        .eventSourceArn("arn:aws:s3:us-east-1:" + storage + ":docs"))
            .uuid();
    objectEvent(tenant, storage, "docs", "one.txt", "created");
    await().atMost(Duration.ofSeconds(60)).until(() -> s3Keys().contains("one.txt"));

    assertThat(lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(false)).state())
        .isEqualTo("Disabled");
    objectEvent(tenant, storage, "docs", "two.txt", "created");
    Thread.sleep(4000);
    assertThat(s3Keys()).containsExactly("one.txt");

    lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(true).batchSize(20));
    await().atMost(Duration.ofSeconds(60)).until(() -> s3Keys().contains("two.txt"));
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(uuid)).batchSize()).isEqualTo(20);
  }

  /**
   * What a Kafka source learns from storing a poll's records instead of counting before each poll:
   * how many wait afterwards, the new ones included, a record taken twice counted once, and records
   * that ran not at all.
   */
  @Test
  void storingRecordsAnswersHowManyWaitForTheFunction() {
    function("counted-fn", false);
    String kafka = sourceInstance(tenant, "Kafka");
    // Disabled: no consumer or worker touches its records meanwhile.
    UUID uuid =
        UUID.fromString(
            lambda
                .createEventSourceMapping(
                    b ->
                        b.functionName("counted-fn")
                            .eventSourceArn(
                                "arn:aws:kafka:us-east-1:" + kafka + ":cluster/" + kafka)
                            .topics("counted")
                            .startingPosition(EventSourcePosition.TRIM_HORIZON)
                            .enabled(false))
                .uuid());
    assertThat(store(uuid, "0:0", "0:1", "0:2")).isEqualTo(3);
    assertThat(store(uuid, "0:1", "0:2", "0:3")).isEqualTo(4);
    List<Long> first =
        mappings.batch(uuid, 2).map(r -> r.seq()).collectList().block(Duration.ofSeconds(10));
    mappings.finish(uuid, first, "done").block(Duration.ofSeconds(10));
    assertThat(store(uuid, "0:4")).isEqualTo(3);
    assertThat(mappings.pending(uuid).block(Duration.ofSeconds(10))).isEqualTo(3);
  }

  private long store(UUID mapping, String... offsets) {
    List<EventSourceMappingRepository.NewRecord> records = new ArrayList<>();
    for (String offset : offsets) {
      records.add(new EventSourceMappingRepository.NewRecord("counted/" + offset, offset, "{}"));
    }
    return mappings.addRecordsCountingPending(mapping, records).block(Duration.ofSeconds(10));
  }

  @Test
  void badInputAndOtherTenantsSourcesGetLambdasErrors() {
    function("guarded-fn", false);
    String others = sourceInstance("t-other-" + UUID.randomUUID(), "S3Storage");
    String mine = sourceInstance(tenant, "Kafka");
    String kafkaArn = "arn:aws:kafka:us-east-1:" + mine + ":cluster/" + mine;

    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("guarded-fn")
                            .eventSourceArn("arn:aws:s3:us-east-1:" + others + ":photos")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("guarded-fn")
                            .eventSourceArn(
                                "arn:aws:s3:us-east-1:" + UUID.randomUUID() + ":photos")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("no-such-fn")
                            .eventSourceArn(kafkaArn)
                            .topics("t")
                            .startingPosition(EventSourcePosition.LATEST)))
        .isInstanceOf(ResourceNotFoundException.class);
    for (int size : new int[] {0, 10_001}) {
      assertThatThrownBy(
              () ->
                  lambda.createEventSourceMapping(
                      b ->
                          b.functionName("guarded-fn")
                              .eventSourceArn(kafkaArn)
                              .topics("t")
                              .batchSize(size)
                              .startingPosition(EventSourcePosition.LATEST)))
          .isInstanceOf(InvalidParameterValueException.class)
          .hasMessageContaining("batchSize");
    }
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b -> b.functionName("guarded-fn").eventSourceArn(kafkaArn).topics("t")))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("StartingPosition");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b -> b.functionName("guarded-fn").eventSourceArn("not-an-arn")))
        .isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(
            () -> lambda.getEventSourceMapping(b -> b.uuid(UUID.randomUUID().toString())))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> lambda.deleteEventSourceMapping(b -> b.uuid("not-a-uuid")))
        .isInstanceOf(ResourceNotFoundException.class);

    // The raw answer is Lambda's error JSON with its type header, never a 500.
    var answer =
        http.post()
            .uri("/lambda/2015-03-31/event-source-mappings/")
            .bodyValue("{}")
            .exchange()
            .expectBody(String.class)
            .returnResult();
    assertThat(answer.getStatus().is5xxServerError()).isFalse();

    // A mapping of this instance is invisible to another instance of the same tenant.
    String uuid =
        lambda
            .createEventSourceMapping(
                b ->
                    b.functionName("guarded-fn")
                        .eventSourceArn(kafkaArn)
                        .topics("t")
                        .startingPosition(EventSourcePosition.LATEST))
            .uuid();
    String other = UUID.randomUUID().toString();
    registry.created(other, "function", tenant, "other").as(tx::transactional).block();
    String[] otherKeys = keysFor(tenant, other);
    try (LambdaClient otherClient =
        LambdaClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port + "/lambda"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(otherKeys[0], otherKeys[1])))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      assertThatThrownBy(() -> otherClient.getEventSourceMapping(b -> b.uuid(uuid)))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(otherClient.listEventSourceMappings().eventSourceMappings()).isEmpty();
    }
  }

  List<JsonNode> sqsRecords() {
    List<JsonNode> records = new ArrayList<>();
    for (JsonNode event : received) {
      event.path("Records").forEach(records::add);
    }
    return records;
  }

  List<String> sqsBodies() {
    return sqsRecords().stream().map(r -> r.path("body").asString()).toList();
  }

  /**
   * A queue's messages invoke the function as Lambda's SQS event and are deleted after its success;
   * a failing batch stays (it comes back after the visibility timeout, for the queue's redrive
   * policy); a deleted queue disables its mapping; Lambda's SQS rules and another tenant's queue
   * answer Lambda's errors.
   */
  @Test
  void queueMessagesInvokeTheFunctionAsSqsEventsAndAreDeletedOnlyAfterSuccess() {
    // The stand-in queue's visibility timeout is 2 s; Lambda refuses a longer function timeout.
    function("sqs-fn", false, 2);
    function("sqs-failing-fn", true, 2);
    function("sqs-slow-fn", false, 30);
    String queues = sourceInstance(tenant, "Queue");
    String arn = "arn:aws:sqs:us-east-1:" + queues + ":orders";
    QueueServiceStandIn q = QueueServiceStandIn.SHARED;
    q.createQueue(tenant, queues, "orders");
    q.createQueue(tenant, queues, "poison");

    // Lambda's SQS rules, and another tenant's queue instance.
    String others = sourceInstance("t-other-" + UUID.randomUUID(), "Queue");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("sqs-fn")
                            .eventSourceArn("arn:aws:sqs:us-east-1:" + others + ":orders")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b -> b.functionName("sqs-slow-fn").eventSourceArn(arn)))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("Queue visibility timeout: 2 seconds is less than Function timeout");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("sqs-fn")
                            .eventSourceArn("arn:aws:sqs:us-east-1:" + queues + ":missing")))
        .isInstanceOf(ResourceNotFoundException.class);
    q.breakQueue(tenant, queues, "unreachable");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("sqs-fn")
                            .eventSourceArn("arn:aws:sqs:us-east-1:" + queues + ":unreachable")))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.lambda.model.ServiceException.class,
            e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b -> b.functionName("sqs-fn").eventSourceArn(arn).batchSize(11)))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("batch window");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b -> b.functionName("sqs-fn").eventSourceArn(arn).maximumRetryAttempts(2)))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("MaximumRetryAttempts");
    assertThatThrownBy(
            () ->
                lambda.createEventSourceMapping(
                    b ->
                        b.functionName("sqs-fn")
                            .eventSourceArn(arn)
                            .scalingConfig(c -> c.maximumConcurrency(1))))
        .isInstanceOf(InvalidParameterValueException.class);

    CreateEventSourceMappingResponse created =
        lambda.createEventSourceMapping(
            b ->
                b.functionName("sqs-fn")
                    .eventSourceArn(arn)
                    .batchSize(50)
                    .maximumBatchingWindowInSeconds(1)
                    .scalingConfig(c -> c.maximumConcurrency(2)));
    assertThat(created.batchSize()).isEqualTo(50);
    assertThat(created.scalingConfig().maximumConcurrency()).isEqualTo(2);
    assertThat(created.maximumRetryAttempts()).isNull();
    q.send(tenant, queues, "orders", "order-1");
    q.send(tenant, queues, "orders", "order-2");
    q.send(tenant, queues, "orders", "order-3");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> q.deleted(tenant, queues, "orders").size() == 3);
    assertThat(q.messages(tenant, queues, "orders")).isEmpty();
    assertThat(sqsBodies()).containsExactlyInAnyOrder("order-1", "order-2", "order-3");
    JsonNode record = sqsRecords().getFirst();
    assertThat(record.path("eventSource").asString()).isEqualTo("aws:sqs");
    assertThat(record.path("eventSourceARN").asString()).isEqualTo(arn);
    assertThat(record.path("awsRegion").asString()).isEqualTo("us-east-1");
    assertThat(record.path("messageId").asString()).isNotBlank();
    assertThat(record.path("receiptHandle").asString()).isNotBlank();
    assertThat(record.path("md5OfBody").asString()).startsWith("md5-");
    assertThat(record.path("attributes").path("ApproximateReceiveCount").asString()).isEqualTo("1");
    assertThat(record.has("messageAttributes")).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "OK"
                    .equals(
                        lambda
                            .getEventSourceMapping(b -> b.uuid(created.uuid()))
                            .lastProcessingResult()));

    // A failing function: nothing is deleted, the message comes back after the visibility
    // timeout (queue-service's redrive policy then moves it to the DLQ, see QueueSeedIT).
    received.clear();
    String failing =
        lambda
            .createEventSourceMapping(
                b ->
                    b.functionName("sqs-failing-fn")
                        .eventSourceArn("arn:aws:sqs:us-east-1:" + queues + ":poison"))
            .uuid();
    q.send(tenant, queues, "poison", "bad-order");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                sqsRecords().stream()
                    .anyMatch(
                        r ->
                            r.path("attributes")
                                .path("ApproximateReceiveCount")
                                .asString()
                                .equals("2")));
    assertThat(q.deleted(tenant, queues, "poison")).isEmpty();
    assertThat(q.messages(tenant, queues, "poison")).hasSize(1);
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(failing)).lastProcessingResult())
        .startsWith("PROBLEM: Function call failed");

    // The queue is deleted: its mapping is disabled, saying why.
    q.deleteQueue(tenant, queues, "poison");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              GetEventSourceMappingResponse m = lambda.getEventSourceMapping(b -> b.uuid(failing));
              assertThat(m.state()).isEqualTo("Disabled");
              assertThat(m.lastProcessingResult()).contains("does not exist");
            });
  }

  @Test
  void reportedQueueItemFailuresStayInTheQueueAndTheRestIsDeleted() {
    createFunction(
        "sqs-partial-fn",
        "python3.11",
        "app.handler",
        "app.py",
        "import json, os, urllib.request\n"
            + "def handler(event, context):\n"
            + "    urllib.request.urlopen(urllib.request.Request(os.environ['SINK'],"
            + " data=json.dumps(event).encode()), timeout=10).read()\n"
            + "    bad = [r['messageId'] for r in event['Records'] if r['body'].startswith('bad')]\n"
            + "    return {'batchItemFailures': [{'itemIdentifier': i} for i in bad]}\n",
        "\"allowNetwork\":true,\"timeout\":2,\"environment\":{\"variables\":{\"SINK\":"
            + "\"http://127.0.0.1:"
            + sink.getAddress().getPort()
            + "/\"}}");
    String queues = sourceInstance(tenant, "Queue");
    QueueServiceStandIn q = QueueServiceStandIn.SHARED;
    q.createQueue(tenant, queues, "mixed");
    q.send(tenant, queues, "mixed", "good-1");
    q.send(tenant, queues, "mixed", "bad-2");
    q.send(tenant, queues, "mixed", "good-3");
    // Through the seed API this time.
    call(
        "POST",
        base + "/event-source-mappings",
        "{\"eventSourceArn\":\"arn:aws:sqs:us-east-1:"
            + queues
            + ":mixed\",\"functionName\":\"sqs-partial-fn\",\"batchSize\":10,"
            + "\"maximumBatchingWindowInSeconds\":2,"
            + "\"functionResponseTypes\":[\"ReportBatchItemFailures\"]}",
        201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> q.deleted(tenant, queues, "mixed").size() == 2);
    assertThat(q.deleted(tenant, queues, "mixed")).containsExactlyInAnyOrder("good-1", "good-3");
    // bad-2 stays and comes back; the good ones never do.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> sqsBodies().stream().filter("bad-2"::equals).count() >= 2);
    assertThat(sqsBodies().stream().filter(b -> b.startsWith("good")).count()).isEqualTo(2);
    assertThat(q.messages(tenant, queues, "mixed"))
        .extracting(m -> m.body)
        .containsExactly("bad-2");
  }

  @Test
  void kafkaSourcesStoppedAndStartedAgainNeitherLoseNorReplayRecords() throws Exception {
    function("restart-fn", false);
    String kafka = sourceInstance(tenant, "Kafka");
    String topic = "tenant." + tenant + ".i." + kafka + ".events";
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    lambda.createEventSourceMapping(
        b ->
            b.functionName("restart-fn")
                .eventSourceArn("arn:aws:kafka:us-east-1:" + kafka + ":cluster/" + kafka)
                .topics("events")
                .batchSize(3)
                .startingPosition(EventSourcePosition.TRIM_HORIZON));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 5; i++) {
        producer.send(
            new ProducerRecord<>(topic, ("before-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> kafkaValues().size() == 5);
    kafkaSources.stop();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(topic, ("after-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    Thread.sleep(2000);
    assertThat(kafkaValues()).hasSize(5);
    kafkaSources.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> kafkaValues().size() >= 10);
    Thread.sleep(2000);
    assertThat(kafkaValues()).hasSize(10).doesNotHaveDuplicates();
  }

  /** Stopping the queue pollers' reconcile stops the pollers it started; starting resumes. */
  @Test
  void queuePollersStoppedAndStartedAgainStopAndResumeTheirPolls() throws Exception {
    function("paused-fn", false, 2);
    String queues = sourceInstance(tenant, "Queue");
    QueueServiceStandIn q = QueueServiceStandIn.SHARED;
    q.createQueue(tenant, queues, "paused");
    lambda.createEventSourceMapping(
        b ->
            b.functionName("paused-fn")
                .eventSourceArn("arn:aws:sqs:us-east-1:" + queues + ":paused"));
    q.send(tenant, queues, "paused", "before");
    await().atMost(Duration.ofSeconds(60)).until(() -> sqsBodies().contains("before"));

    queuePollers.stop();
    try {
      q.send(tenant, queues, "paused", "while-stopped");
      Thread.sleep(4000);
      assertThat(sqsBodies()).containsExactly("before");
    } finally {
      queuePollers.start();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> sqsBodies().contains("while-stopped"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> q.deleted(tenant, queues, "paused").size() == 2);
  }

  @Test
  void reportedItemFailuresAreRetriedAloneAndTheRestIsDone() {
    createFunction(
        "partial-fn",
        "python3.11",
        "app.handler",
        "app.py",
        "import json, os, urllib.request\n"
            + "def handler(event, context):\n"
            + "    urllib.request.urlopen(urllib.request.Request(os.environ['SINK'],"
            + " data=json.dumps(event).encode()), timeout=10).read()\n"
            + "    bad = [r['s3']['object']['sequencer'] for r in event['Records']"
            + " if r['s3']['object']['key'].startswith('bad')]\n"
            + "    return {'batchItemFailures': [{'itemIdentifier': i} for i in bad]}\n",
        "\"allowNetwork\":true,\"environment\":{\"variables\":{\"SINK\":\"http://127.0.0.1:"
            + sink.getAddress().getPort()
            + "/\"}}");
    String storage = sourceInstance(tenant, "S3Storage");
    lambda.createEventSourceMapping(
        b ->
            b.functionName("partial-fn")
                .eventSourceArn("arn:aws:s3:us-east-1:" + storage + ":uploads")
                .batchSize(3)
                .maximumBatchingWindowInSeconds(3)
                .maximumRetryAttempts(1)
                .functionResponseTypes(
                    software.amazon.awssdk.services.lambda.model.FunctionResponseType
                        .REPORT_BATCH_ITEM_FAILURES));
    objectEvent(tenant, storage, "uploads", "good-1", "created");
    objectEvent(tenant, storage, "uploads", "bad-2", "created");
    objectEvent(tenant, storage, "uploads", "good-3", "created");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        call("GET", base + "/functions/partial-fn/dead-letters", null, 200)
                            .path("count")
                            .asInt())
                    .isEqualTo(1));
    // good-1 once; from bad-2 on (an ordered source's checkpoint) twice: the batch, one retry.
    assertThat(s3Keys()).containsExactly("good-1", "bad-2", "good-3", "bad-2", "good-3");
  }

  @Test
  void theSeedApiServesTheSameMappings() {
    function("seed-fn", false);
    String storage = sourceInstance(tenant, "S3Storage");
    String path = "/api/function/" + tenant + "/" + service + "/event-source-mappings";
    JsonNode created =
        call(
            "POST",
            path,
            "{\"functionName\":\"seed-fn\",\"eventSourceArn\":\"arn:aws:s3:us-east-1:"
                + storage
                + ":pics\",\"batchSize\":7}",
            201);
    String uuid = created.path("uuid").asString();
    assertThat(created.path("batchSize").asInt()).isEqualTo(7);
    assertThat(created.path("sourceType").asString()).isEqualTo("aws:s3");
    assertThat(created.path("state").asString()).isEqualTo("Enabled");
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(uuid)).batchSize()).isEqualTo(7);
    assertThat(call("GET", path, null, 200).path("count").asInt()).isEqualTo(1);
    assertThat(call("PUT", path + "/" + uuid, "{\"enabled\":false}", 200).path("state").asString())
        .isEqualTo("Disabled");
    assertError(
        call(
            "POST",
            path,
            "{\"functionName\":\"seed-fn\",\"eventSourceArn\":\"arn:aws:s3:us-east-1:"
                + storage
                + ":pics\",\"batchSize\":0}",
            400),
        "InvalidParameterValueException");
    assertError(
        call(
            "POST",
            path,
            "{\"functionName\":\"nope\",\"eventSourceArn\":\"arn:aws:s3:us-east-1:"
                + storage
                + ":pics\"}",
            404),
        "ResourceNotFoundException");
    assertError(
        call("GET", path + "/" + UUID.randomUUID(), null, 404), "ResourceNotFoundException");
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(status("GET", path, stranger, null)).isEqualTo(403);
    call("DELETE", path + "/" + uuid, null, 204);
    assertThat(call("GET", path, null, 200).path("count").asInt()).isZero();
  }

  @Test
  void awsCliCreatesListsAndDeletesMappings() throws Exception {
    Assumptions.assumeTrue(
        LambdaProtocolIT.commandExists("aws"), "the AWS CLI is not installed (apt install awscli)");
    function("cli-fn", false);
    String kafka = sourceInstance(tenant, "Kafka");
    String arn = "arn:aws:kafka:us-east-1:" + kafka + ":cluster/" + kafka;
    JsonNode created =
        cli(
            "create-event-source-mapping",
            "--function-name",
            "cli-fn",
            "--event-source-arn",
            arn,
            "--topics",
            "clicks",
            "--starting-position",
            "LATEST",
            "--batch-size",
            "50");
    assertThat(created.path("BatchSize").asInt()).isEqualTo(50);
    assertThat(created.path("State").asString()).isEqualTo("Enabled");
    String uuid = created.path("UUID").asString();
    JsonNode list = cli("list-event-source-mappings", "--function-name", "cli-fn");
    assertThat(list.path("EventSourceMappings").get(0).path("UUID").asString()).isEqualTo(uuid);
    assertThat(list.path("EventSourceMappings").get(0).path("Topics").get(0).asString())
        .isEqualTo("clicks");
    cli("delete-event-source-mapping", "--uuid", uuid);
    assertThat(cli("list-event-source-mappings").path("EventSourceMappings").size()).isZero();
  }

  JsonNode cli(String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "aws",
                "lambda",
                "--endpoint-url",
                "http://127.0.0.1:" + port + "/lambda",
                "--region",
                "us-east-1",
                "--output",
                "json"));
    Collections.addAll(argv, args);
    ProcessBuilder command = new ProcessBuilder(argv).redirectErrorStream(true);
    command.environment().put("AWS_ACCESS_KEY_ID", keys[0]);
    command.environment().put("AWS_SECRET_ACCESS_KEY", keys[1]);
    command.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    command.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    Process cli = command.start();
    cli.getOutputStream().close();
    String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(output).isZero();
    return JSON.readTree(output);
  }
}
