package dev.cumulus.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.queue.QueueApplication;
import dev.cumulus.queue.QueueTestInstances;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The SQS JSON protocol with the stock AWS SDK for Java v2 (which verifies the MD5 digests it is
 * sent). Access keys resolve through a {@link SigningKeys} over known secrets (auth-service's part
 * is tested there). A second application on another port shares the database for the replica tests.
 */
@SpringBootTest(
    classes = {QueueApplication.class, SqsProtocolIT.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SqsProtocolIT {

  /** Access key id → {secret, tenant, service}, as auth-service would answer. */
  static final Map<String, String[]> CREDENTIALS = new ConcurrentHashMap<>();

  static ConfigurableApplicationContext replica;

  @TestConfiguration
  static class Keys {
    @Bean
    @Primary
    SigningKeys testSigningKeys() {
      return (accessKeyId, date, region, service) -> {
        String[] c = CREDENTIALS.get(accessKeyId);
        if (c == null) {
          return Mono.error(
              new ApiException(
                  ErrorKind.FORBIDDEN,
                  "The AWS Access Key Id you provided does not exist in our records.",
                  "InvalidAccessKeyId",
                  null,
                  Map.of(),
                  null));
        }
        return Mono.just(
            new SigningKeys.Grant(
                accessKeyId, c[1], c[2], SigV4.signingKey(c[0], date, region, service)));
      };
    }
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    QueueTestInstances.register(registry, "queue_sqs");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry registry;
  @Autowired TransactionalOperator tx;
  @Autowired Environment environment;
  @Autowired org.springframework.r2dbc.core.DatabaseClient db;
  @Autowired dev.cumulus.queue.queues.persistence.MessageRepository messages;

  String tenant;
  String service;
  SqsClient sqs;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = QueueTestInstances.registered(registry, tx, tenant);
    sqs = client(port, keysFor(tenant, service));
  }

  @AfterAll
  static void stopReplica() {
    if (replica != null) {
      replica.close();
    }
  }

  static String[] keysFor(String tenant, String service) {
    String key =
        "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    String secret = UUID.randomUUID().toString();
    CREDENTIALS.put(key, new String[] {secret, tenant, service});
    return new String[] {key, secret};
  }

  static SqsClient client(int port, String[] keys) {
    return SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port + "/sqs"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(keys[0], keys[1])))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(40)).build())
        .build();
  }

  @Test
  void queueOperations() {
    String url =
        sqs.createQueue(
                b ->
                    b.queueName("orders")
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45"))
                        .tags(Map.of("team", "a")))
            .queueUrl();
    assertThat(url).isEqualTo("http://127.0.0.1:" + port + "/sqs/" + service + "/orders");
    // Same attributes: the same queue; different ones: QueueNameExists
    assertThat(
            sqs.createQueue(
                    b ->
                        b.queueName("orders")
                            .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45")))
                .queueUrl())
        .isEqualTo(url);
    assertThatThrownBy(
            () ->
                sqs.createQueue(
                    b ->
                        b.queueName("orders")
                            .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"))))
        .isInstanceOf(SqsException.class)
        .satisfies(
            e ->
                assertThat(((SqsException) e).awsErrorDetails().errorCode())
                    .contains("QueueAlreadyExists"));
    assertThat(sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl()).isEqualTo(url);

    for (String name : List.of("orders-a", "orders-b", "orders-c", "other")) {
      sqs.createQueue(b -> b.queueName(name));
    }
    assertThat(sqs.listQueues(b -> b.queueNamePrefix("orders")).queueUrls()).hasSize(4);
    var page1 = sqs.listQueues(b -> b.queueNamePrefix("orders").maxResults(3));
    assertThat(page1.queueUrls()).hasSize(3);
    assertThat(page1.nextToken()).isNotBlank();
    var page2 =
        sqs.listQueues(b -> b.queueNamePrefix("orders").maxResults(3).nextToken(page1.nextToken()));
    assertThat(page2.queueUrls()).containsExactly(url.replace("/orders", "/orders-c"));
    assertThat(page2.nextToken()).isNull();

    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
            .attributes();
    assertThat(attributes)
        .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45")
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
        .containsEntry(
            QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:us-east-1:" + service + ":orders");
    sqs.setQueueAttributes(
        b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "2")));
    assertThat(
            sqs.getQueueAttributes(
                    b -> b.queueUrl(url).attributeNames(QueueAttributeName.DELAY_SECONDS))
                .attributes())
        .containsExactly(Map.entry(QueueAttributeName.DELAY_SECONDS, "2"));
    assertThatThrownBy(
            () ->
                sqs.setQueueAttributes(
                    b -> b.queueUrl(url).attributesWithStrings(Map.of("Colour", "red"))))
        .isInstanceOf(SqsException.class);

    sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("env", "test")));
    assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags())
        .containsEntry("team", "a")
        .containsEntry("env", "test");
    sqs.untagQueue(b -> b.queueUrl(url).tagKeys("team"));
    assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).containsOnlyKeys("env");

    sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").delaySeconds(0));
    sqs.purgeQueue(b -> b.queueUrl(url));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    sqs.deleteQueue(b -> b.queueUrl(url));

    SqsException missing =
        (SqsException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> sqs.getQueueUrl(b -> b.queueName("orders")));
    assertThat(missing).isInstanceOf(QueueDoesNotExistException.class);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(
            missing.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-query-error"))
        .hasValue("AWS.SimpleQueueService.NonExistentQueue;Sender");
  }

  @Test
  void messagesWithAttributesBatchesVisibilityAndDeletes() {
    String url = sqs.createQueue(b -> b.queueName("work")).queueUrl();
    Map<String, MessageAttributeValue> attributes =
        Map.of(
            "priority",
                MessageAttributeValue.builder().dataType("String").stringValue("high").build(),
            "count", MessageAttributeValue.builder().dataType("Number").stringValue("42").build(),
            "blob",
                MessageAttributeValue.builder()
                    .dataType("Binary")
                    .binaryValue(SdkBytes.fromUtf8String("bytes"))
                    .build());
    // The SDK checks MD5OfMessageBody and MD5OfMessageAttributes of every answer.
    var sent =
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("héllo ✓").messageAttributes(attributes));
    assertThat(sent.md5OfMessageAttributes()).hasSize(32);
    var batch =
        sqs.sendMessageBatch(
            b ->
                b.queueUrl(url)
                    .entries(
                        SendMessageBatchRequestEntry.builder().id("a").messageBody("one").build(),
                        SendMessageBatchRequestEntry.builder()
                            .id("b")
                            .messageBody("two")
                            .messageAttributes(Map.of("k", attributes.get("priority")))
                            .build(),
                        SendMessageBatchRequestEntry.builder().id("c").messageBody("").build()));
    assertThat(batch.successful()).extracting(e -> e.id()).containsExactly("a", "b");
    assertThat(batch.failed()).extracting(e -> e.id()).containsExactly("c");
    assertThat(batch.failed().get(0).senderFault()).isTrue();

    List<Message> received =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages();
    assertThat(received).hasSize(3);
    Message first =
        received.stream().filter(m -> m.body().equals("héllo ✓")).findFirst().orElseThrow();
    assertThat(first.messageAttributes()).containsOnlyKeys("priority", "count", "blob");
    assertThat(first.messageAttributes().get("blob").binaryValue().asUtf8String())
        .isEqualTo("bytes");
    assertThat(first.attributes())
        .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")
        .containsKey(MessageSystemAttributeName.SENT_TIMESTAMP);
    // A subset of attributes: its own digest
    sqs.changeMessageVisibility(
        b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
    Message again =
        await()
            .until(
                () ->
                    sqs.receiveMessage(
                            b -> b.queueUrl(url).messageAttributeNames("priority", "count"))
                        .messages(),
                list -> !list.isEmpty())
            .get(0);
    assertThat(again.messageAttributes()).containsOnlyKeys("priority", "count");
    assertThat(again.attributes()).isEmpty();

    // Batches of visibility changes and deletes, with a stale handle refused on its own
    var changed =
        sqs.changeMessageVisibilityBatch(
            b ->
                b.queueUrl(url)
                    .entries(
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("x")
                            .receiptHandle(again.receiptHandle())
                            .visibilityTimeout(60)
                            .build(),
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("y")
                            .receiptHandle(first.receiptHandle())
                            .visibilityTimeout(60)
                            .build()));
    assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("x");
    assertThat(changed.failed()).extracting(e -> e.id()).containsExactly("y");
    List<Message> all = new ArrayList<>(received);
    all.removeIf(m -> m.messageId().equals(again.messageId()));
    all.add(again);
    var deleted =
        sqs.deleteMessageBatch(
            b ->
                b.queueUrl(url)
                    .entries(
                        all.stream()
                            .map(
                                m ->
                                    DeleteMessageBatchRequestEntry.builder()
                                        .id("d" + all.indexOf(m))
                                        .receiptHandle(m.receiptHandle())
                                        .build())
                            .toList()));
    assertThat(deleted.successful()).hasSize(3);
    assertThat(
            sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes())
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");

    // Limits: a message over 256 KiB, more than 10 entries, a forged receipt handle
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(262_145))))
        .isInstanceOf(SqsException.class);
    assertThatThrownBy(
            () ->
                sqs.sendMessageBatch(
                    b ->
                        b.queueUrl(url)
                            .entries(
                                IntStream.range(0, 11)
                                    .mapToObj(
                                        i ->
                                            SendMessageBatchRequestEntry.builder()
                                                .id("e" + i)
                                                .messageBody("m")
                                                .build())
                                    .toList())))
        .isInstanceOf(SqsException.class);
    assertThatThrownBy(() -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("forged")))
        .isInstanceOf(SqsException.class);
  }

  @Test
  void visibilityTimeoutExpiryRedelivers() {
    String url = sqs.createQueue(b -> b.queueName("retry")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("again"));
    Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(1)).messages().get(0);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    // A long poll wakes when the message becomes visible again, not at its deadline.
    long start = System.nanoTime();
    List<Message> redelivered =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(url)
                        .waitTimeSeconds(10)
                        .messageSystemAttributeNames(
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
            .messages();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(redelivered).hasSize(1);
    assertThat(redelivered.get(0).messageId()).isEqualTo(first.messageId());
    assertThat(redelivered.get(0).attributes())
        .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
    // The first receive's handle no longer deletes the message (SQS answers success).
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
    assertThat(
            sqs.getQueueAttributes(
                    b ->
                        b.queueUrl(url)
                            .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes())
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1");
  }

  @Test
  void fifoKeepsGroupOrderBlocksGroupsInFlightAndDeduplicates() {
    String url =
        sqs.createQueue(
                b ->
                    b.queueName("jobs.fifo")
                        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
            .queueUrl();
    for (int i = 0; i < 4; i++) {
      int n = i;
      sqs.sendMessage(
          b ->
              b.queueUrl(url)
                  .messageBody("a" + n)
                  .messageGroupId("A")
                  .messageDeduplicationId("a" + n));
      sqs.sendMessage(
          b ->
              b.queueUrl(url)
                  .messageBody("b" + n)
                  .messageGroupId("B")
                  .messageDeduplicationId("b" + n));
    }
    var duplicate =
        sqs.sendMessage(
            b ->
                b.queueUrl(url).messageBody("a0").messageGroupId("A").messageDeduplicationId("a0"));
    assertThat(duplicate.sequenceNumber()).isNotBlank();
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("no group")))
        .isInstanceOf(SqsException.class);

    List<Message> firstTwo =
        sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(30))
            .messages();
    assertThat(firstTwo).extracting(Message::body).containsExactly("a0", "a1");
    // Group A is blocked while a0/a1 are in flight: only B comes now, in order.
    List<Message> groupB =
        sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
    assertThat(groupB).extracting(Message::body).containsExactly("b0", "b1", "b2", "b3");
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .isEmpty();
    for (Message m : groupB) {
      sqs.changeMessageVisibility(
          b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    // One at a time: blocked group A (older) does not hide group B's next message.
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1)).messages())
        .extracting(Message::body)
        .containsExactly("b0");
    for (Message m : firstTwo) {
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    }
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body)
        .containsExactly("a2", "a3");

    // Content-based deduplication
    String cbd =
        sqs.createQueue(
                b ->
                    b.queueName("cbd.fifo")
                        .attributesWithStrings(
                            Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true")))
            .queueUrl();
    String id1 =
        sqs.sendMessage(b -> b.queueUrl(cbd).messageBody("same").messageGroupId("g")).messageId();
    String id2 =
        sqs.sendMessage(b -> b.queueUrl(cbd).messageBody("same").messageGroupId("g")).messageId();
    assertThat(id2).isEqualTo(id1);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(cbd).maxNumberOfMessages(10)).messages())
        .hasSize(1);

    // A batch is stored in one transaction, in order: a duplicate of an earlier entry of the same
    // batch (or of an earlier send) answers with that message's ids; a bad entry fails alone.
    var batch =
        sqs.sendMessageBatch(
            b ->
                b.queueUrl(cbd)
                    .entries(
                        SendMessageBatchRequestEntry.builder()
                            .id("x1")
                            .messageBody("x")
                            .messageGroupId("h")
                            .build(),
                        SendMessageBatchRequestEntry.builder()
                            .id("bad")
                            .messageBody("no group")
                            .build(),
                        SendMessageBatchRequestEntry.builder()
                            .id("y")
                            .messageBody("y")
                            .messageGroupId("h")
                            .build(),
                        SendMessageBatchRequestEntry.builder()
                            .id("x2")
                            .messageBody("x")
                            .messageGroupId("h")
                            .build(),
                        SendMessageBatchRequestEntry.builder()
                            .id("same")
                            .messageBody("same")
                            .messageGroupId("g")
                            .build()));
    assertThat(batch.failed()).extracting(f -> f.id()).containsExactly("bad");
    Map<String, String> ids = new HashMap<>();
    batch.successful().forEach(e -> ids.put(e.id(), e.messageId()));
    assertThat(ids.get("x2")).isEqualTo(ids.get("x1"));
    assertThat(ids.get("same")).isEqualTo(id1);
    assertThat(
            sqs.receiveMessage(b -> b.queueUrl(cbd).maxNumberOfMessages(10).visibilityTimeout(30))
                .messages())
        .extracting(Message::body)
        .containsExactly("x", "y");
  }

  @Test
  void exhaustedMessagesMoveToTheDeadLetterQueue() {
    String dlq = sqs.createQueue(b -> b.queueName("failed")).queueUrl();
    String arn =
        sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String url =
        sqs.createQueue(
                b ->
                    b.queueName("fragile")
                        .attributes(
                            Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\""
                                    + arn
                                    + "\",\"maxReceiveCount\":\"2\"}")))
            .queueUrl();
    assertThat(
            sqs.getQueueAttributes(
                    b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes()
                .get(QueueAttributeName.REDRIVE_POLICY))
        .contains(arn)
        .contains("\"maxReceiveCount\":2");
    String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison")).messageId();
    for (int i = 0; i < 2; i++) {
      assertThat(sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(0)).messages())
          .hasSize(1);
    }
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    List<Message> dead =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(dlq)
                        .waitTimeSeconds(5)
                        .messageSystemAttributeNames(
                            MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN))
            .messages();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).messageId()).isEqualTo(id);
    assertThat(dead.get(0).body()).isEqualTo("poison");
    assertThat(
            dead.get(0).attributes().get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN))
        .endsWith(":fragile");
    // The move is an event, written with it
    String event =
        db.sql(
                "SELECT payload::text FROM cumulus_outbox WHERE event_type ="
                    + " 'dev.cumulus.queue.message.dead-lettered.v1' AND event_key = :key")
            .bind("key", service + "/fragile")
            .map(r -> r.get(0, String.class))
            .one()
            .block();
    assertThat(event).contains(id).contains("\"deadLetterQueueName\": \"failed\"");
  }

  @Test
  void expiredMessagesAreNeverDeliveredAndAreSwept() {
    String url = sqs.createQueue(b -> b.queueName("short-lived")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("stale"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("fresh"));
    // As if the retention period had passed for the first one
    db.sql(
            "UPDATE queue_messages SET expires_at = now() - interval '1 second' WHERE body = 'stale'")
        .fetch()
        .rowsUpdated()
        .block();
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body)
        .containsExactly("fresh");
    assertThat(messages.sweep().block()).isGreaterThanOrEqualTo(1L);
    assertThat(
            db.sql("SELECT count(*) FROM queue_messages WHERE body = 'stale'")
                .map(r -> r.get(0, Long.class))
                .one()
                .block())
        .isZero();
  }

  @Test
  void anotherInstancesQueueAndBadSignaturesAreRefused() {
    String url = sqs.createQueue(b -> b.queueName("mine")).queueUrl();
    String otherService = QueueTestInstances.registered(registry, tx, tenant);
    SqsClient other = client(port, keysFor(tenant, otherService));
    SqsException denied =
        (SqsException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> other.sendMessage(b -> b.queueUrl(url).messageBody("x")));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    assertThat(other.listQueues(b -> b.queueNamePrefix("")).queueUrls()).isEmpty();

    SqsClient unknown = client(port, new String[] {"AKIAUNKNOWN000000000", "secret"});
    SqsException invalid =
        (SqsException) org.assertj.core.api.Assertions.catchThrowable(() -> unknown.listQueues());
    assertThat(invalid.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
    String[] keys = keysFor(tenant, service);
    SqsClient wrongSecret = client(port, new String[] {keys[0], "not-the-secret"});
    SqsException mismatch =
        (SqsException)
            org.assertj.core.api.Assertions.catchThrowable(() -> wrongSecret.listQueues());
    assertThat(mismatch.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
  }

  @Test
  void unsignedAndMalformedRequestsGetSqsErrors() {
    var http = dev.cumulus.platform.testsupport.TestClients.http(port);
    http.post()
        .uri("/sqs")
        .header("X-Amz-Target", "AmazonSQS.ListQueues")
        .header("Content-Type", "application/x-amz-json-1.0")
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .valueEquals("x-amzn-query-error", "MissingAuthenticationToken;Sender")
        .expectHeader()
        .contentType("application/x-amz-json-1.0")
        .expectBody()
        .jsonPath("$.__type")
        .isEqualTo("com.amazonaws.sqs#MissingAuthenticationToken");
    http.post()
        .uri("/sqs")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=garbage")
        .header("X-Amz-Date", "20260101T000000Z")
        .bodyValue("{not json")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.__type")
        .isEqualTo("com.amazonaws.sqs#IncompleteSignature");
    // Signed but not JSON, or an unknown operation: 400, never a 500
    SqsClient raw = sqs;
    assertThatThrownBy(
            () -> raw.receiveMessage(b -> b.queueUrl("http://elsewhere/sqs/" + service + "/none")))
        .isInstanceOf(QueueDoesNotExistException.class);
    assertThatThrownBy(() -> raw.receiveMessage(b -> b.queueUrl("not a url")))
        .isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).statusCode()).isBetween(400, 499));
  }

  @Test
  void twoReplicasShareAQueueWithoutDoubleDeliveryAndWakeEachOther() throws Exception {
    int replicaPort = replicaPort();
    String[] keys = keysFor(tenant, service);
    SqsClient here = client(port, keys);
    SqsClient there = client(replicaPort, keys);
    String url = here.createQueue(b -> b.queueName("shared")).queueUrl();

    // A long poll on one replica wakes on a send through the other.
    CompletableFuture<List<Message>> waiting =
        CompletableFuture.supplyAsync(
            () -> there.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).messages());
    await().pollDelay(Duration.ofMillis(500)).until(() -> !waiting.isDone());
    long sentAt = System.nanoTime();
    here.sendMessage(b -> b.queueUrl(url).messageBody("ping"));
    List<Message> woken = waiting.get();
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(3));
    assertThat(woken).extracting(Message::body).containsExactly("ping");
    here.deleteMessage(b -> b.queueUrl(url).receiptHandle(woken.get(0).receiptHandle()));

    int total = 200;
    for (int i = 0; i < total; i += 10) {
      int from = i;
      here.sendMessageBatch(
          b ->
              b.queueUrl(url)
                  .entries(
                      IntStream.range(from, from + 10)
                          .mapToObj(
                              n ->
                                  SendMessageBatchRequestEntry.builder()
                                      .id("m" + n)
                                      .messageBody("m" + n)
                                      .build())
                          .toList()));
    }
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> consumers = new ArrayList<>();
    for (SqsClient client : List.of(here, there, here, there)) {
      consumers.add(
          CompletableFuture.runAsync(
              () -> {
                while (true) {
                  List<Message> got =
                      client
                          .receiveMessage(
                              b ->
                                  b.queueUrl(url)
                                      .maxNumberOfMessages(10)
                                      .visibilityTimeout(60)
                                      .waitTimeSeconds(1))
                          .messages();
                  if (got.isEmpty()) {
                    return;
                  }
                  got.forEach(m -> bodies.add(m.body()));
                }
              }));
    }
    CompletableFuture.allOf(consumers.toArray(CompletableFuture[]::new)).get();
    Set<String> distinct = new HashSet<>(bodies);
    assertThat(bodies).hasSize(total);
    assertThat(distinct).hasSize(total);
  }

  /** A second queue-service on another port, on the same database and Kafka. */
  int replicaPort() {
    synchronized (SqsProtocolIT.class) {
      if (replica == null) {
        replica = QueueReplica.start(environment, Map.of(), Keys.class);
      }
      return Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
    }
  }
}
