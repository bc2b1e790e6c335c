package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queue event sources with the real queue-service: a Python function of a function instance is
 * mapped (seed API, through the gateway) to queues of a queue instance; messages sent with the
 * stock SQS client through the gateway's {@code /sqs} reach the function as Lambda's SQS event (it
 * posts every event it gets to a receiver of this test) and are deleted after its success; a batch
 * the function fails stays on the queue, comes back after the visibility timeout, and the queue's
 * redrive policy moves it to its dead-letter queue after maxReceiveCount receives; with
 * ReportBatchItemFailures only the messages the function names stay. The function's invocation
 * metrics count all of it.
 */
class QueueEventSourceIT {

  /**
   * Posts the event it got to SINK; fails a batch with a body starting with "bad", and names the
   * messages starting with "retry" as failed items (ReportBatchItemFailures).
   */
  static final String HANDLER =
      """
      import json, os, urllib.request
      def handler(event, context):
          req = urllib.request.Request(os.environ['SINK'], data=json.dumps(event).encode(),
                                       headers={'Content-Type': 'application/json'})
          urllib.request.urlopen(req, timeout=5).read()
          bad = [r['body'] for r in event['Records'] if r['body'].startswith('bad')]
          if bad:
              raise ValueError('cannot take ' + ','.join(bad))
          retry = [r['messageId'] for r in event['Records'] if r['body'].startswith('retry')]
          return {'batchItemFailures': [{'itemIdentifier': i} for i in retry]}
      """;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Cumulus cumulus = Cumulus.get();
  private final Api api = new Api(cumulus.viaGateway());
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private HttpServer sink;

  @BeforeEach
  void sink() throws IOException {
    cumulus.functions();
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/",
        exchange -> {
          events.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    sink.start();
  }

  @AfterEach
  void stopSink() {
    sink.stop(0);
  }

  @Test
  void queueMessagesSentWithTheSqsClientInvokeTheFunctionAndFailuresEndInTheDeadLetterQueue() {
    String token = cumulus.adminToken(api);
    Consumer<HttpHeaders> admin = Api.bearer(token);
    Api.Answer queues = cumulus.newQueueInstance(api, "esm-queues");
    Api.Answer functions = cumulus.newFunctionInstance(api, "esm-functions");
    String base = "/api/function/" + functions.at("tenantId") + "/" + functions.at("id");
    String queuesId = queues.at("id");
    SqsClient sqs = sqs(queues);

    // queue-service learns of its instance from Kafka.
    String dlq =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> create(sqs, "esm-dlq", Map.of()), url -> url != null);
    String dlqArn =
        sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String orders = create(sqs, "esm-orders", Map.of());
    String mixed =
        create(
            sqs,
            "esm-mixed",
            Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT,
                "5",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"));
    String poison =
        create(
            sqs,
            "esm-poison",
            Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT,
                "5",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"));

    // function-service learns of its instance from Kafka too; then the seed's create.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get(base + "/functions", admin).status() == 200);
    api.post(
            base + "/functions",
            admin,
            Map.of(
                "functionName",
                "esm-fn",
                "runtime",
                "python3.11",
                "handler",
                "app.handler",
                "code",
                zip("app.py", HANDLER),
                // Lambda's rule: no longer than the visibility timeout of a queue it reads.
                "timeout",
                5,
                "allowNetwork",
                true,
                "environment",
                Map.of(
                    "variables",
                    Map.of("SINK", "http://127.0.0.1:" + sink.getAddress().getPort() + "/"))))
        .expect(201);

    // A mapping from the orders queue (the function-service knows the queue instance from
    // Kafka, and asks queue-service for the queue).
    String ordersArn = "arn:aws:sqs:us-east-1:" + queuesId + ":esm-orders";
    Api.Answer mapping =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    api.post(
                        base + "/event-source-mappings",
                        admin,
                        Map.of(
                            "eventSourceArn",
                            ordersArn,
                            "functionName",
                            "esm-fn",
                            "batchSize",
                            10,
                            "maximumBatchingWindowInSeconds",
                            1)),
                answer -> answer.status() == 201);
    assertThat(mapping.body())
        .containsEntry("eventSourceArn", ordersArn)
        .containsEntry("sourceType", "aws:sqs")
        .containsEntry("state", "Enabled")
        .containsEntry("batchSize", 10);

    sqs.sendMessage(b -> b.queueUrl(orders).messageBody("order-1"));
    sqs.sendMessageBatch(
        b ->
            b.queueUrl(orders)
                .entries(
                    SendMessageBatchRequestEntry.builder().id("a").messageBody("order-2").build(),
                    SendMessageBatchRequestEntry.builder().id("b").messageBody("order-3").build()));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(bodies()).containsExactlyInAnyOrder("order-1", "order-2", "order-3"));
    JsonNode record = records().getFirst();
    assertThat(record.path("eventSource").asString()).isEqualTo("aws:sqs");
    assertThat(record.path("eventSourceARN").asString()).isEqualTo(ordersArn);
    assertThat(record.path("messageId").asString()).isNotBlank();
    assertThat(record.path("attributes").path("ApproximateReceiveCount").asString()).isEqualTo("1");
    // Deleted once the function succeeded: nothing left, nothing in flight.
    await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(sqs, orders) == 0);
    String ordersMapping = mapping.at("uuid");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "OK"
                    .equals(
                        api.get(base + "/event-source-mappings/" + ordersMapping, admin)
                            .expect(200)
                            .at("lastProcessingResult")));

    // A batch the function fails: it stays, comes back after the 5 s visibility timeout, and
    // after maxReceiveCount (2) receives the queue's redrive policy moves it to the DLQ.
    String poisonArn = "arn:aws:sqs:us-east-1:" + queuesId + ":esm-poison";
    String failing =
        api.post(
                base + "/event-source-mappings",
                admin,
                Map.of("eventSourceArn", poisonArn, "functionName", "esm-fn", "batchSize", 1))
            .expect(201)
            .at("uuid");
    sqs.sendMessage(b -> b.queueUrl(poison).messageBody("bad-order"));
    // A batch the function answers with batchItemFailures: the others are deleted at once, the
    // named one stays, comes back, and ends in the DLQ as well.
    String mixedArn = "arn:aws:sqs:us-east-1:" + queuesId + ":esm-mixed";
    api.post(
            base + "/event-source-mappings",
            admin,
            Map.of(
                "eventSourceArn",
                mixedArn,
                "functionName",
                "esm-fn",
                "batchSize",
                10,
                "maximumBatchingWindowInSeconds",
                1,
                "functionResponseTypes",
                List.of("ReportBatchItemFailures")))
        .expect(201);
    sqs.sendMessageBatch(
        b ->
            b.queueUrl(mixed)
                .entries(
                    SendMessageBatchRequestEntry.builder().id("a").messageBody("good-1").build(),
                    SendMessageBatchRequestEntry.builder().id("b").messageBody("retry-2").build(),
                    SendMessageBatchRequestEntry.builder().id("c").messageBody("good-3").build()));
    List<Message> dead = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              dead.addAll(
                  sqs.receiveMessage(
                          b -> b.queueUrl(dlq).waitTimeSeconds(5).maxNumberOfMessages(10))
                      .messages());
              return dead.size() >= 2;
            });
    assertThat(dead).extracting(Message::body).containsExactlyInAnyOrder("bad-order", "retry-2");
    assertThat(bodies().stream().filter(body -> body.startsWith("good")))
        .containsExactlyInAnyOrder("good-1", "good-3");
    assertThat(bodies().stream().filter("retry-2"::equals)).hasSize(2);
    assertThat(messagesIn(sqs, mixed)).isZero();
    assertThat(
            records().stream()
                .filter(r -> r.path("body").asString().equals("bad-order"))
                .map(r -> r.path("attributes").path("ApproximateReceiveCount").asString()))
        .containsExactly("1", "2");
    assertThat(messagesIn(sqs, poison)).isZero();
    assertThat(
            (String)
                api.get(base + "/event-source-mappings/" + failing, admin)
                    .expect(200)
                    .at("lastProcessingResult"))
        .isEqualTo("PROBLEM: Function call failed (ValueError)");

    // The function's own metrics saw every invocation: the successful batches and the two
    // failed ones.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Api.Answer metrics =
                  api.get(base + "/functions/esm-fn/invocations", admin).expect(200);
              assertThat(((Number) metrics.at("invocations")).longValue()).isEqualTo(events.size());
              assertThat(((Number) metrics.at("errors")).longValue()).isEqualTo(2);
            });
  }

  private List<JsonNode> records() {
    List<JsonNode> records = new ArrayList<>();
    events.forEach(event -> event.path("Records").forEach(records::add));
    return records;
  }

  private List<String> bodies() {
    return records().stream().map(r -> r.path("body").asString()).toList();
  }

  /** Visible and in-flight messages of a queue. */
  private static int messagesIn(SqsClient sqs, String url) {
    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Creates a queue; null while queue-service does not know the instance yet. */
  private static String create(SqsClient sqs, String name, Map<QueueAttributeName, String> attrs) {
    try {
      return sqs.createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
    } catch (RuntimeException notYet) {
      return null;
    }
  }

  private SqsClient sqs(Api.Answer instance) {
    String accessKey = instance.at("s3Credentials.accessKeyId");
    String secret = instance.at("s3Credentials.secretAccessKey");
    return SqsClient.builder()
        .endpointOverride(URI.create(cumulus.gateway.baseUrl() + "/sqs"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
        .build();
  }

  /** One file zipped, base64 as the functions API takes code. */
  private static String zip(String name, String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
