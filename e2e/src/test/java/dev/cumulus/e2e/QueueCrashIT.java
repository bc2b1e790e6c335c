package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.FreePorts;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * kill -9 of queue-service while messages are being sent: after a restart on the same database,
 * every message whose SendMessage was answered is received, none twice (nothing was received
 * before, and the visibility timeout outlasts the test), and a message that was in flight at the
 * crash comes back once its visibility timeout has run out (at-least-once).
 */
class QueueCrashIT {

  @Test
  void everyAcknowledgedSendSurvivesKillMinus9AndIsReceivedOnce() throws Exception {
    Cumulus cumulus = Cumulus.get();
    Api.Answer instance = cumulus.newQueueInstance(new Api(cumulus.viaGateway()), "crash-jobs");
    String accessKey = instance.at("s3Credentials.accessKeyId");
    String secret = instance.at("s3Credentials.secretAccessKey");

    // A queue-service of its own (same database across the restart), in its own consumer group
    // so it learns of the instance too.
    Map<String, String> env = cumulus.queueEnvironment(cumulus.auth.baseUrl());
    List<String> args =
        List.of(
            "--spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group=crash-"
                + UUID.randomUUID());
    int port = FreePorts.next();

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger attempted = new AtomicInteger();
    String inFlight;
    String url;
    try (ServiceProcess queue = ServiceProcess.start("queue-service", port, env, args)) {
      SqsClient sqs = client(queue, accessKey, secret);
      url = createWhenKnown(sqs);
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("in flight"));
      Message taken =
          sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(3)).messages().getFirst();
      inFlight = taken.messageId();

      // Two senders, one message per call, until the service dies under them.
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        senders.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    while (true) {
                      String body = "m-" + attempted.incrementAndGet();
                      sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                      acknowledged.add(body);
                    }
                  } catch (RuntimeException dead) {
                    // the server is gone
                  }
                }));
      }
      Instant sending = Instant.now().plusSeconds(30);
      while (acknowledged.size() < 50) {
        assertThat(Instant.now()).as("senders answered").isBefore(sending);
        Thread.sleep(10);
      }
      queue.kill();
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).join();
    }

    try (ServiceProcess restarted = ServiceProcess.start("queue-service", port, env, args)) {
      SqsClient sqs = client(restarted, accessKey, secret);
      List<String> received = new ArrayList<>();
      Set<String> inFlightSeen = new HashSet<>();
      Instant deadline = Instant.now().plusSeconds(30);
      // Until every answered send and the message in flight at the crash are back, then until an
      // empty answer: a duplicate would show up in that last round.
      while (!new HashSet<>(received).containsAll(acknowledged) || inFlightSeen.isEmpty()) {
        assertThat(Instant.now()).as("received %d", received.size()).isBefore(deadline);
        receiveInto(sqs, url, inFlight, received, inFlightSeen);
      }
      while (receiveInto(sqs, url, inFlight, received, inFlightSeen) > 0) {
        assertThat(Instant.now()).as("received %d", received.size()).isBefore(deadline);
      }
      // Sends cut by the crash may have been stored unanswered; nothing answered is missing.
      assertThat(new HashSet<>(received)).containsAll(acknowledged).hasSameSizeAs(received);
      assertThat(received.size()).isLessThanOrEqualTo(attempted.get());
      assertThat(
              sqs.getQueueAttributes(
                      b ->
                          b.queueUrl(url)
                              .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                  .attributes()
                  .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
          .isEqualTo("0");
    }
  }

  /** One receive: bodies of the sent messages to {@code received}, the in-flight one apart. */
  private static int receiveInto(
      SqsClient sqs, String url, String inFlight, List<String> received, Set<String> inFlightSeen) {
    List<Message> messages =
        sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
            .messages();
    for (Message m : messages) {
      if (m.messageId().equals(inFlight)) {
        inFlightSeen.add(m.receiptHandle());
      } else {
        received.add(m.body());
      }
    }
    return messages.size();
  }

  /** Creates the queue once the service has learnt of the instance (from Kafka). */
  private static String createWhenKnown(SqsClient sqs) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      try {
        return sqs.createQueue(
                b ->
                    b.queueName("crash")
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "600")))
            .queueUrl();
      } catch (RuntimeException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw notYet;
        }
        Thread.sleep(500);
      }
    }
  }

  static SqsClient client(ServiceProcess queue, String accessKey, String secret) {
    return SqsClient.builder()
        .endpointOverride(URI.create(queue.baseUrl() + "/sqs"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        // A send that fails is not retried: the test knows which sends were answered.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
        .build();
  }
}
