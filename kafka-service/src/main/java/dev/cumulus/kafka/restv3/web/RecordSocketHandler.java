package dev.cumulus.kafka.restv3.web;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.application.ConsumeService;
import dev.cumulus.kafka.topics.domain.ConsumeRequest;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.platform.error.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Push delivery over WebSocket, beside Server-Sent Events: {@code GET
 * /kafka/v3/clusters/{id}/topics/{t}/records/ws?consumer_group=g} (with {@code partition_id},
 * {@code offset}, {@code max_records}, {@code from} as the SSE form) upgrades, then sends each
 * record as a text message (the SSE event's {@code KafkaRecord} JSON) as it arrives, committing
 * batch by batch, until either side closes. The handshake is authenticated as every request (bearer
 * token or API key); a refusal after it is one message {@code {"error_code","message"}} and the
 * close code 4000 + the HTTP status (4400, 4403, 4404).
 */
@Component
public class RecordSocketHandler implements WebSocketHandler {

  private final V3Clusters clusters;
  private final ConsumeService consumer;
  private final KafkaServiceProperties.Consume limits;
  private final ObjectMapper json;

  RecordSocketHandler(
      V3Clusters clusters,
      ConsumeService consumer,
      KafkaServiceProperties properties,
      ObjectMapper json) {
    this.clusters = clusters;
    this.consumer = consumer;
    this.limits = properties.consume();
    this.json = json;
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    // The security filter admitted the handshake; its caller serves the session.
    return session
        .getHandshakeInfo()
        .getPrincipal()
        .ofType(Authentication.class)
        .flatMap(
            caller ->
                serve(session)
                    .contextWrite(ReactiveSecurityContextHolder.withAuthentication(caller)))
        .switchIfEmpty(Mono.defer(() -> session.close(CloseStatus.POLICY_VIOLATION)));
  }

  private Mono<Void> serve(WebSocketSession session) {
    List<String> path = List.of(session.getHandshakeInfo().getUri().getPath().split("/"));
    // /kafka/v3/clusters/{clusterId}/topics/{topic}/records/ws
    String clusterId = path.get(4);
    String topic = path.get(6);
    ConsumeRequest first;
    try {
      first = request(topic, session);
    } catch (ApiException e) {
      return refuse(session, e);
    }
    return clusters
        .names(clusterId)
        .flatMap(
            names -> {
              AtomicReference<CloseStatus> closing = new AtomicReference<>(CloseStatus.NORMAL);
              // A refusal found once the push has begun (a partition beyond the topic's, a topic
              // deleted meanwhile) ends it the same way: the error as the last message. Failing
              // the send itself would drop the connection with neither message nor code.
              Flux<WebSocketMessage> records =
                  consumer
                      .follow(names, topic, first)
                      .map(r -> json.writeValueAsString(V3Records.record(clusterId, r)))
                      .onErrorResume(
                          ApiException.class,
                          e -> {
                            V3Error error = V3Error.of(e);
                            closing.set(closeStatus(error));
                            return Mono.just(json.writeValueAsString(error));
                          })
                      .map(session::textMessage);
              // Closed (with the refusal's code) before the race below cancels the receive side,
              // which would drop the connection without a code.
              Mono<Void> push =
                  session.send(records).then(Mono.defer(() -> session.close(closing.get())));
              // The client's close (or its going away) ends the receive side, and the push.
              return Mono.firstWithSignal(push, session.receive().then())
                  .then(Mono.defer(() -> session.isOpen() ? session.close() : Mono.empty()));
            })
        .onErrorResume(ApiException.class, e -> refuse(session, e));
  }

  /** One Confluent error message, then the close code 4000 + the HTTP status. */
  private Mono<Void> refuse(WebSocketSession session, ApiException e) {
    V3Error error = V3Error.of(e);
    return session
        .send(Mono.just(session.textMessage(json.writeValueAsString(error))))
        .then(session.close(closeStatus(error)));
  }

  private static CloseStatus closeStatus(V3Error error) {
    return new CloseStatus(4000 + V3Error.status(error), "error " + error.error_code());
  }

  private ConsumeRequest request(String topic, WebSocketSession session) {
    MultiValueMap<String, String> query =
        UriComponentsBuilder.fromUri(session.getHandshakeInfo().getUri()).build().getQueryParams();
    return V3Records.pushRequest(
        limits,
        topic,
        integer(query, "partition_id"),
        number(query, "offset"),
        text(query, "consumer_group"),
        query.containsKey("max_records") ? integer(query, "max_records") : 100,
        query.containsKey("from") ? text(query, "from") : "earliest");
  }

  private static String text(MultiValueMap<String, String> query, String name) {
    String value = query.getFirst(name);
    return value == null ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static Integer integer(MultiValueMap<String, String> query, String name) {
    Long value = number(query, name);
    if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw KafkaErrors.invalidParameter(name, "out of range");
    }
    return value == null ? null : value.intValue();
  }

  private static Long number(MultiValueMap<String, String> query, String name) {
    String value = text(query, name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw KafkaErrors.invalidParameter(name, "not a number: " + value);
    }
  }
}
