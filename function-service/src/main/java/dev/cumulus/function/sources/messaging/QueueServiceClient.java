package dev.cumulus.function.sources.messaging;

import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.security.InternalSecret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * queue-service's internal message endpoint ({@code /internal/queue/{tenant}/{instance}/queues/
 * {queue}/...}, docs/queue.md), at the registry's URL for it, with the shared internal secret:
 * receive, delete and hide messages of the queue a mapping reads, always as the mapping's tenant.
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

  private record Answer(List<JsonNode> messages, int visibilityTimeout) {}

  private final WebClient client;
  private final String secret;

  public QueueServiceClient(
      WebClient.Builder builder,
      Environment environment,
      @Value("${cumulus.internal.secret:}") String secret) {
    ServiceRegistry.Service queue =
        ServiceRegistry.packaged().service("queue-service").orElseThrow();
    this.client =
        builder.baseUrl(environment.getProperty(queue.urlVariable(), queue.defaultUrl())).build();
    this.secret = secret;
  }

  /** A queue as the poller needs it. */
  public record QueueInfo(boolean fifo, int visibilityTimeout) {}

  /** The tenant's queue: its type and visibility timeout; {@link QueueGone} when none. */
  public Mono<QueueInfo> describe(String tenantId, String serviceId, String queueName) {
    return call(client.method(HttpMethod.GET), tenantId, serviceId, queueName, "", null, queueName)
        .map(
            node ->
                new QueueInfo(
                    node.path("fifo").asBoolean(), node.path("visibilityTimeout").asInt()))
        .timeout(Duration.ofSeconds(10));
  }

  /** Up to {@code max} (1-10) messages, waiting up to {@code waitSeconds} (0-20) for a first. */
  public Mono<Received> receive(EventSourceMapping m, int max, int waitSeconds) {
    return post(m, "receive", Map.of("maxMessages", max, "waitTimeSeconds", waitSeconds))
        .flatMap(
            node ->
                Mono.just(
                    new Received(
                        node.path("messages").valueStream().toList(),
                        node.path("visibilityTimeout").asInt())))
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
    return call(
        client.post(),
        m.tenantId(),
        m.source().serviceId(),
        m.source().name(),
        "/" + operation,
        body,
        m.source().arn());
  }

  private Mono<JsonNode> call(
      WebClient.RequestBodyUriSpec method,
      String tenantId,
      String serviceId,
      String queueName,
      String operation,
      Object body,
      String arn) {
    if (secret == null || secret.isBlank()) {
      return Mono.error(new IllegalStateException("cumulus.internal.secret is not set"));
    }
    WebClient.RequestBodySpec request =
        method.uri(
            "/internal/queue/{tenant}/{service}/queues/{queue}" + operation,
            tenantId,
            serviceId,
            queueName);
    request.header(InternalSecret.HEADER, secret);
    WebClient.RequestHeadersSpec<?> ready = body == null ? request : request.bodyValue(body);
    return ready.exchangeToMono(
        response -> {
          if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
            return response
                .releaseBody()
                .then(Mono.error(new QueueGone("The queue " + arn + " does not exist")));
          }
          if (response.statusCode().isError()) {
            return response
                .releaseBody()
                .then(
                    Mono.error(
                        new IllegalStateException(
                            "queue-service answered " + response.statusCode())));
          }
          return response.bodyToMono(JsonNode.class);
        });
  }
}
