package dev.cumulus.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.queue.QueueApplication;
import dev.cumulus.queue.QueueTestInstances;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Message move tasks (dead-letter redrive) with the stock AWS SDK for Java v2, and on the REST API.
 * This context never moves (its interval is an hour): a second application on the same database
 * runs the moves, so a test can stop it mid-task and start another, as a restart would.
 */
@SpringBootTest(
    classes = {QueueApplication.class, SqsProtocolIT.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MessageMoveTaskIT {

  static ConfigurableApplicationContext mover;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    QueueTestInstances.register(registry, "queue_move");
    registry.add("cumulus.queue.move-interval", () -> "1h");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry registry;
  @Autowired TransactionalOperator tx;
  @Autowired Environment environment;

  String tenant;
  String service;
  SqsClient sqs;

  /** The REST API as the tenant's admin: {@code base} ends in {@code /queues/}. */
  WebTestClient http;

  String token;
  String base;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = QueueTestInstances.registered(registry, tx, tenant);
    sqs = SqsProtocolIT.client(port, SqsProtocolIT.keysFor(tenant, service));
    http = TestClients.http(port).mutate().responseTimeout(Duration.ofSeconds(30)).build();
    token = TestJwtIssuer.shared().token(tenant, "admin");
    base = "/api/queue/" + tenant + "/" + service + "/queues/";
    startMover(false);
  }

  @AfterAll
  static void stopMover() {
    if (mover != null) {
      mover.close();
    }
  }

  @Test
  void redriveMovesDeadLettersBackToTheQueuesTheyCameFrom() {
    String dlq = queue("failed");
    String orders = queueWithRedrive("orders", dlq);
    String invoices = queueWithRedrive("invoices", dlq);
    Set<String> orderIds = deadLetter(orders, 3);
    Set<String> invoiceIds = deadLetter(invoices, 2);
    assertThat(count(dlq)).isEqualTo(5);

    String handle = sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq))).taskHandle();
    assertThat(handle).isNotBlank();
    ListMessageMoveTasksResultEntry done = awaitEnd(dlq);
    assertThat(done.status()).isEqualTo("COMPLETED");
    assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(5);
    assertThat(done.approximateNumberOfMessagesToMove()).isEqualTo(5);
    assertThat(done.taskHandle()).isNull();
    assertThat(done.destinationArn()).isNull();

    assertThat(receiveAll(orders)).containsExactlyInAnyOrderElementsOf(orderIds);
    assertThat(receiveAll(invoices)).containsExactlyInAnyOrderElementsOf(invoiceIds);
    assertThat(count(dlq)).isZero();
  }

  @Test
  void aDestinationTakesEveryMessageAndTheRateLimitsEachSecond() {
    String dlq = queue("failed");
    String source = queueWithRedrive("source", dlq);
    String elsewhere = queue("elsewhere");
    Set<String> ids = deadLetter(source, 4);

    long started = System.nanoTime();
    sqs.startMessageMoveTask(
        b -> b.sourceArn(arn(dlq)).destinationArn(arn(elsewhere)).maxNumberOfMessagesPerSecond(2));
    // One active task per source queue.
    assertCode(
        () -> sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq))),
        "AWS.SimpleQueueService.UnsupportedOperation");
    ListMessageMoveTasksResultEntry done = awaitEnd(dlq);
    // 4 messages at 2 per second: two steps, a second apart.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(900));
    assertThat(done.status()).isEqualTo("COMPLETED");
    assertThat(done.destinationArn()).isEqualTo(arn(elsewhere));
    assertThat(done.maxNumberOfMessagesPerSecond()).isEqualTo(2);
    assertThat(receiveAll(elsewhere)).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(count(source)).isZero();
  }

  @Test
  void aCancelledTaskKeepsWhatItMovedAndLeavesTheRest() {
    String dlq = queue("failed");
    String source = queueWithRedrive("source", dlq);
    deadLetter(source, 6);
    String handle =
        sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq)).maxNumberOfMessagesPerSecond(1))
            .taskHandle();
    ListMessageMoveTasksResultEntry running =
        sqs.listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0);
    assertThat(running.status()).isEqualTo("RUNNING");
    assertThat(running.taskHandle()).isEqualTo(handle);

    long moved =
        sqs.cancelMessageMoveTask(b -> b.taskHandle(handle)).approximateNumberOfMessagesMoved();
    assertThat(moved).isLessThan(6);
    assertThat(count(source) + count(dlq)).isEqualTo(6);
    assertThat(count(source)).isEqualTo(moved);
    assertThat(sqs.listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0).status())
        .isEqualTo("CANCELLED");
    assertCode(
        () -> sqs.cancelMessageMoveTask(b -> b.taskHandle(handle)),
        "AWS.SimpleQueueService.UnsupportedOperation");
    // A new task may start once the old one ended; the list is newest first.
    sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq)));
    awaitEnd(dlq);
    assertThat(
            sqs.listMessageMoveTasks(b -> b.sourceArn(arn(dlq)).maxResults(10)).results().stream()
                .map(ListMessageMoveTasksResultEntry::status))
        .containsExactly("COMPLETED", "CANCELLED");
    assertThat(count(source)).isEqualTo(6);
  }

  /** The mover stops mid-task and another starts: every message moved once, none lost. */
  @Test
  void aMessageMovesExactlyOnceAcrossARestart() {
    String dlq = queue("failed");
    String source = queueWithRedrive("source", dlq);
    Set<String> ids = deadLetter(source, 30);
    sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq)).maxNumberOfMessagesPerSecond(10));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> task(dlq).approximateNumberOfMessagesMoved() >= 10);
    startMover(true);
    ListMessageMoveTasksResultEntry done = awaitEnd(dlq);
    assertThat(done.status()).isEqualTo("COMPLETED");
    assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(30);
    List<String> received = receiveAllList(source);
    assertThat(received).hasSize(30);
    assertThat(new HashSet<>(received)).isEqualTo(ids);
    assertThat(count(dlq)).isZero();
  }

  @Test
  void badRequestsGetSqsErrors() {
    String dlq = queue("failed");
    queueWithRedrive("source", dlq);
    String plain = queue("plain");
    assertCode(
        () -> sqs.startMessageMoveTask(b -> b.sourceArn(arn(plain))), "InvalidParameterValue");
    assertCode(
        () ->
            sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq)).maxNumberOfMessagesPerSecond(501)),
        "InvalidParameterValue");
    assertCode(
        () -> sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq)).maxNumberOfMessagesPerSecond(0)),
        "InvalidParameterValue");
    assertCode(
        () -> sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq)).destinationArn(arn(dlq))),
        "InvalidParameterValue");
    assertCode(
        () -> sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq).replace("failed", "nothing"))),
        "ResourceNotFoundException");
    assertCode(
        () -> sqs.startMessageMoveTask(b -> b.sourceArn("not-an-arn")),
        "ResourceNotFoundException");
    assertCode(
        () -> sqs.listMessageMoveTasks(b -> b.sourceArn(arn(dlq)).maxResults(11)),
        "InvalidParameterValue");
    assertCode(
        () -> sqs.cancelMessageMoveTask(b -> b.taskHandle("nope")), "ResourceNotFoundException");
    assertCode(
        () -> sqs.cancelMessageMoveTask(b -> b.taskHandle(UUID.randomUUID().toString())),
        "ResourceNotFoundException");
    assertThat(sqs.listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results()).isEmpty();
    // A name no queue can have (a NUL in it) finds nothing, as any unknown name: never a 500.
    assertCode(
        () ->
            sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq).replace("failed", "fa\u0000iled"))),
        "ResourceNotFoundException");
    assertCode(
        () -> sqs.getQueueUrl(b -> b.queueName("fa\u0000iled")),
        "AWS.SimpleQueueService.NonExistentQueue");

    // Another tenant's instance neither sees this instance's queues nor its tasks.
    String handle = sqs.startMessageMoveTask(b -> b.sourceArn(arn(dlq))).taskHandle();
    String otherTenant = "t-" + UUID.randomUUID();
    SqsClient stranger =
        SqsProtocolIT.client(
            port,
            SqsProtocolIT.keysFor(
                otherTenant, QueueTestInstances.registered(registry, tx, otherTenant)));
    assertCode(
        () -> stranger.listMessageMoveTasks(b -> b.sourceArn(arn(dlq))),
        "ResourceNotFoundException");
    assertCode(
        () -> stranger.cancelMessageMoveTask(b -> b.taskHandle(handle)),
        "ResourceNotFoundException");
  }

  @Test
  void theRestApiStartsListsAndCancelsTasks() {
    String dlq = queue("failed");
    String source = queueWithRedrive("source", dlq);
    Set<String> ids = deadLetter(source, 3);

    JsonNode started = rest(http, token, "POST", base + "failed/move-tasks", "{}", 201);
    assertThat(started.path("status").asString()).isEqualTo("RUNNING");
    assertThat(started.path("approximateNumberOfMessagesToMove").asLong()).isEqualTo(3);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                rest(http, token, "GET", base + "failed/move-tasks", null, 200)
                    .path("tasks")
                    .path(0)
                    .path("status")
                    .asString()
                    .equals("COMPLETED"));
    assertThat(receiveAll(source)).containsExactlyInAnyOrderElementsOf(ids);

    JsonNode refused = rest(http, token, "POST", base + "plain-missing/move-tasks", "{}", 404);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("QueueDoesNotExist");
    JsonNode notDlq = rest(http, token, "POST", base + "source/move-tasks", "{}", 400);
    assertThat(notDlq.path("error").path("code").asString()).isEqualTo("InvalidParameterValue");
    JsonNode rate =
        rest(
            http,
            token,
            "POST",
            base + "failed/move-tasks",
            "{\"maxNumberOfMessagesPerSecond\":900}",
            400);
    assertThat(rate.path("error").path("code").asString()).isEqualTo("InvalidParameterValue");
    JsonNode cancelled =
        rest(
            http,
            token,
            "POST",
            base + "failed/move-tasks/" + UUID.randomUUID() + "/cancel",
            null,
            404);
    assertThat(cancelled.path("error").path("code").asString())
        .isEqualTo("ResourceNotFoundException");

    // Another tenant's token is refused.
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    rest(http, stranger, "GET", base + "failed/move-tasks", null, 403);
    rest(http, stranger, "POST", base + "failed/move-tasks", "{}", 403);
  }

  /** A REST cancel finds a task on its own queue's path only, and answers why it cannot cancel. */
  @Test
  void theRestCancelStopsARunningTaskOfItsQueueOnly() {
    String dlq = queue("failed");
    String source = queueWithRedrive("source", dlq);
    deadLetter(source, 6);
    String handle =
        rest(
                http,
                token,
                "POST",
                base + "failed/move-tasks",
                "{\"maxNumberOfMessagesPerSecond\":1}",
                201)
            .path("taskHandle")
            .asString();

    // Another queue's path does not know the task, and leaves it running.
    JsonNode elsewhere =
        rest(http, token, "POST", base + "source/move-tasks/" + handle + "/cancel", null, 404);
    assertThat(elsewhere.path("error").path("code").asString())
        .isEqualTo("ResourceNotFoundException");
    assertThat(task(dlq).status()).isEqualTo("RUNNING");
    JsonNode invalid = rest(http, token, "POST", base + "failed/move-tasks/nope/cancel", null, 404);
    assertThat(invalid.path("error").path("code").asString())
        .isEqualTo("ResourceNotFoundException");

    JsonNode cancelled =
        rest(http, token, "POST", base + "failed/move-tasks/" + handle + "/cancel", null, 200);
    assertThat(cancelled.path("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.path("taskHandle").asString()).isEqualTo(handle);
    assertThat(count(source))
        .isEqualTo(cancelled.path("approximateNumberOfMessagesMoved").asLong());
    JsonNode again =
        rest(http, token, "POST", base + "failed/move-tasks/" + handle + "/cancel", null, 400);
    assertThat(again.path("error").path("code").asString()).isEqualTo("UnsupportedOperation");
    assertThat(again.path("error").path("message").asString()).contains("CANCELLED");
  }

  // --- helpers ---

  static JsonNode rest(
      WebTestClient http, String token, String method, String uri, String body, int expected) {
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
    return bytes == null
        ? JsonMapper.builder().build().missingNode()
        : JsonMapper.builder().build().readTree(bytes);
  }

  String queue(String name) {
    return sqs.createQueue(b -> b.queueName(name)).queueUrl();
  }

  String arn(String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  String queueWithRedrive(String name, String dlq) {
    return sqs.createQueue(
            b ->
                b.queueName(name)
                    .attributes(
                        Map.of(
                            QueueAttributeName.REDRIVE_POLICY,
                            "{\"deadLetterTargetArn\":\""
                                + arn(dlq)
                                + "\",\"maxReceiveCount\":\"1\"}")))
        .queueUrl();
  }

  /** Sends n messages and receives each once, so the next receive dead-letters them all. */
  Set<String> deadLetter(String url, int n) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i += 10) {
      int from = i;
      sqs.sendMessageBatch(
              b ->
                  b.queueUrl(url)
                      .entries(
                          IntStream.range(from, Math.min(n, from + 10))
                              .mapToObj(
                                  j ->
                                      SendMessageBatchRequestEntry.builder()
                                          .id("m" + j)
                                          .messageBody("body " + j)
                                          .build())
                              .toList()))
          .successful()
          .forEach(s -> ids.add(s.messageId()));
    }
    int received = 0;
    while (received < n) {
      received +=
          sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
              .messages()
              .size();
    }
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .isEmpty();
    return ids;
  }

  long count(String url) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  Set<String> receiveAll(String url) {
    return new HashSet<>(receiveAllList(url));
  }

  /** Receives (and deletes) until the queue is empty; fails on a message seen twice. */
  List<String> receiveAllList(String url) {
    List<String> ids = new java.util.ArrayList<>();
    while (true) {
      List<Message> page =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(url)
                          .maxNumberOfMessages(10)
                          .messageSystemAttributeNames(
                              MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
              .messages();
      if (page.isEmpty()) {
        return ids;
      }
      for (Message m : page) {
        // Moved messages start over: this is their first receive in the destination.
        assertThat(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
            .isEqualTo("1");
        ids.add(m.messageId());
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    }
  }

  ListMessageMoveTasksResultEntry task(String dlq) {
    return sqs.listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0);
  }

  ListMessageMoveTasksResultEntry awaitEnd(String dlq) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !task(dlq).status().equals("RUNNING"));
    return task(dlq);
  }

  /**
   * The SDK reads SQS's query-compatible code ({@code x-amzn-query-error}), as it does from SQS:
   * {@code AWS.SimpleQueueService.UnsupportedOperation} for {@code UnsupportedOperation}.
   */
  static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
  }

  /** The application that moves (a fresh one when {@code restart}: the old one stops first). */
  void startMover(boolean restart) {
    synchronized (MessageMoveTaskIT.class) {
      if (mover != null && !restart) {
        return;
      }
      if (mover != null) {
        mover.close();
      }
      mover = QueueReplica.start(environment, Map.of("cumulus.queue.move-interval", "100ms"));
    }
  }
}
