package dev.cumulus.function.sources.messaging;

import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.platform.internalclient.InternalServiceClient;
import dev.cumulus.platform.internalclient.InternalServiceClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * queue-service's internal message endpoint ({@code /internal/queue/{tenant}/{instance}/queues/
 * {queue}/...}, docs/queue.md), through the platform's internal client (registry URL, shared
 * secret): receive, delete and hide messages of the queue a mapping reads, always as the mapping's
 * tenant.
 */
@Component
public class QueueServiceClient {

  /** The queue (or its instance, or its tenant's right to it) is gone. */
  public static class QueueGone extends RuntimeException {
    QueueGone(String message) {
      super(message);
    }
  }

  /** A received batch: Lambda's SQS records (without the poller's fields) and their visibility. */
  public record Received(List<JsonNode> messages, int visibilityTimeout) {}

  private static final String QUEUE = "/internal/queue/{tenant}/{service}/queues/{queue}";

  private final InternalServiceClient client;

  public QueueServiceClient(InternalServiceClients clients) {
    this.client = clients.of("queue-service");
  }

  /** A queue as the poller needs it. */
  public record QueueInfo(boolean fifo, int visibilityTimeout) {}

  /** The tenant's queue: its type and visibility timeout; {@link QueueGone} when none. */
  public Mono<QueueInfo> describe(String tenantId, String serviceId, String queueName) {
    return client
        .get(JsonNode.class, QUEUE, tenantId, serviceId, queueName)
        .onErrorMap(InternalServiceClient.NotFound.class, e -> gone(queueName))
        .map(
            node ->
                new QueueInfo(
                    node.path("fifo").asBoolean(), node.path("visibilityTimeout").asInt()))
        .timeout(Duration.ofSeconds(10));
  }

  /** Up to {@code max} (1-10) messages, waiting up to {@code waitSeconds} (0-20) for a first. */
  public Mono<Received> receive(EventSourceMapping m, int max, int waitSeconds) {
    return post(m, "receive", Map.of("maxMessages", max, "waitTimeSeconds", waitSeconds))
        .map(
            node ->
                new Received(
                    node.path("messages").valueStream().toList(),
                    node.path("visibilityTimeout").asInt()))
        .timeout(Duration.ofSeconds(waitSeconds + 30L));
  }

  /** Deletes messages by receipt handle (1-10). */
  public Mono<Void> delete(EventSourceMapping m, List<String> receiptHandles) {
    return post(m, "delete", Map.of("receiptHandles", receiptHandles))
        .timeout(Duration.ofSeconds(30))
        .then();
  }

  /** Makes received messages visible again after {@code seconds} (1-10 handles). */
  public Mono<Void> changeVisibility(EventSourceMapping m, List<String> handles, int seconds) {
    return post(m, "visibility", Map.of("receiptHandles", handles, "visibilityTimeout", seconds))
        .timeout(Duration.ofSeconds(30))
        .then();
  }

  private Mono<JsonNode> post(EventSourceMapping m, String operation, Object body) {
    return client
        .post(
            body,
            JsonNode.class,
            QUEUE + "/" + operation,
            m.tenantId(),
            m.source().serviceId(),
            m.source().name())
        .onErrorMap(InternalServiceClient.NotFound.class, e -> gone(m.source().arn()));
  }

  private static QueueGone gone(String queue) {
    return new QueueGone("The queue " + queue + " does not exist");
  }
}
