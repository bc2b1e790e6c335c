package dev.cumulus.updater.live.web;

import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.updater.common.application.Permissions;
import dev.cumulus.updater.live.application.LiveHub;
import dev.cumulus.updater.live.domain.LiveEvent;
import dev.cumulus.updater.live.domain.LiveEventTypes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Seed 002's {@code /api/ws}: after the token check ({@link LiveTokenFilter}) a client sends {@code
 * {"type":"subscribe","data":{"events":[...],"filters":{"container_ids":[...]}}}} and gets its
 * tenant's events of those types as {@code {type, timestamp, data}}; {@code unsubscribe} removes
 * types. Replies: {@code connected}, {@code subscribed}, {@code unsubscribed}, {@code pong}, {@code
 * error}.
 */
@Component
class LiveSocketHandler implements WebSocketHandler {

  private static final int BUFFER = 256;

  private final LiveHub hub;
  private final ObjectMapper json;
  private final ReactiveJwtDecoder decoder;

  LiveSocketHandler(LiveHub hub, ObjectMapper json, ReactiveJwtDecoder decoder) {
    this.hub = hub;
    this.json = json;
    this.decoder = decoder;
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    // LiveTokenFilter refused the handshake without a valid token; the session reads the same
    // token from its handshake URI (the decoder caches the signing keys).
    String token =
        UriComponentsBuilder.fromUri(session.getHandshakeInfo().getUri())
            .build()
            .getQueryParams()
            .getFirst("token");
    if (token == null) {
      return session.close(CloseStatus.POLICY_VIOLATION);
    }
    return decoder
        .decode(token)
        .map(CumulusPrincipal::from)
        .flatMap(caller -> serve(session, caller))
        .onErrorResume(JwtException.class, invalid -> session.close(CloseStatus.POLICY_VIOLATION));
  }

  private Mono<Void> serve(WebSocketSession session, CumulusPrincipal caller) {
    LiveSession subscriptions = new LiveSession();
    Sinks.Many<Map<String, Object>> replies = Sinks.many().unicast().onBackpressureBuffer();
    boolean mayRead =
        Permissions.holds(caller, Permissions.CONTAINER_READ)
            || Permissions.holds(caller, Permissions.UPDATE_READ);
    Mono<Void> incoming =
        session
            .receive()
            .map(WebSocketMessage::getPayloadAsText)
            .doOnNext(text -> replies.tryEmitNext(command(text, subscriptions, mayRead)))
            .then()
            .doFinally(signal -> replies.tryEmitComplete());
    Flux<Map<String, Object>> events =
        hub.of(caller.tenantId())
            .filter(subscriptions::wants)
            .onBackpressureBuffer(
                BUFFER, dropped -> {}, reactor.core.publisher.BufferOverflowStrategy.DROP_OLDEST)
            .map(LiveSocketHandler::message);
    Map<String, Object> hello =
        message(
            "connected",
            Map.of("tenant_id", caller.tenantId(), "available_events", LiveEventTypes.ALL));
    Flux<WebSocketMessage> outgoing =
        Flux.concat(Mono.just(hello), Flux.merge(replies.asFlux(), events))
            .map(body -> session.textMessage(json.writeValueAsString(body)));
    return Mono.firstWithSignal(session.send(outgoing), incoming).then(session.close());
  }

  private Map<String, Object> command(String text, LiveSession subscriptions, boolean mayRead) {
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (RuntimeException malformed) {
      return error("message is not JSON");
    }
    String type = node.path("type").asString("");
    JsonNode data = node.path("data");
    List<String> types = new ArrayList<>();
    for (JsonNode event : data.path("events")) {
      types.add(event.asString());
    }
    List<String> unknown = types.stream().filter(t -> !LiveEventTypes.ALL.contains(t)).toList();
    return switch (type) {
      case "subscribe" -> {
        if (!mayRead) {
          yield error("subscribing needs the container:read permission");
        }
        if (!unknown.isEmpty()) {
          yield error("unknown event types " + unknown + "; known: " + LiveEventTypes.ALL);
        }
        List<Long> ids = null;
        JsonNode filter = data.path("filters").path("container_ids");
        if (filter.isArray()) {
          ids = new ArrayList<>();
          for (JsonNode id : filter) {
            ids.add(id.asLong());
          }
        }
        yield message("subscribed", Map.of("events", subscriptions.subscribe(types, ids)));
      }
      case "unsubscribe" ->
          message("unsubscribed", Map.of("events", subscriptions.unsubscribe(types)));
      case "ping" -> message("pong", Map.of());
      default -> error("unknown message type '" + type + "'; use subscribe or unsubscribe");
    };
  }

  private static Map<String, Object> message(LiveEvent event) {
    return message(event.type(), event.data(), event.timestamp());
  }

  private static Map<String, Object> message(String type, Map<String, Object> data) {
    return message(type, data, Instant.now());
  }

  private static Map<String, Object> message(
      String type, Map<String, Object> data, Instant timestamp) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
    body.put("data", data);
    return body;
  }

  private static Map<String, Object> error(String reason) {
    return message("error", Map.of("message", reason));
  }
}
