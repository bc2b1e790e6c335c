package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Push of records over WebSocket: a group's records as text messages as they arrive, continuing
 * where the group's committed offsets are; the handshake authenticated as every request, another
 * tenant's cluster refused with Confluent's error and a 4xxx close code.
 */
class RecordSocketIT extends KafkaServiceIT {

  private final ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient();

  @Test
  void recordsArePushedOverAWebSocketAsTheyArrive() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"ticks\",\"partitions_count\":1}", 201);
    for (String v : new String[] {"a", "b"}) {
      produce(cluster, v);
    }
    // The group has read "a": the socket starts at "b", then gets what is produced meanwhile
    api.call("GET", cluster + "/topics/ticks/records?consumer_group=ws&max_records=1", null, 200);

    List<JsonNode> pushed = new CopyOnWriteArrayList<>();
    client
        .execute(
            socket(cluster + "/topics/ticks/records/ws?consumer_group=ws"),
            bearer(token),
            session ->
                session
                    .receive()
                    .map(WebSocketMessage::getPayloadAsText)
                    .map(ApiCalls.JSON::readTree)
                    // The test produces from the handler: off the client's event loop.
                    .publishOn(Schedulers.boundedElastic())
                    .doOnNext(
                        record -> {
                          pushed.add(record);
                          if (pushed.size() == 1) {
                            produce(cluster, "c");
                          }
                        })
                    .take(2)
                    .then(session.close()))
        .block(Duration.ofSeconds(30));

    assertThat(pushed).extracting(RecordSocketIT::value).containsExactly("b", "c");
    assertThat(pushed.get(0).path("kind").asString()).isEqualTo("KafkaRecord");
    assertThat(pushed.get(0).path("offset").asLong()).isEqualTo(1);
    // Committed as pushed: the group has nothing left
    assertThat(
            api.call("GET", cluster + "/consumer-groups/ws/lag-summary", null, 200)
                .path("total_lag")
                .asLong())
        .isZero();
  }

  @Test
  void theHandshakeIsAuthenticatedAndAnotherTenantsClusterRefused() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"secret\"}", 201);
    URI uri = socket(cluster + "/topics/secret/records/ws?consumer_group=g");

    // No token: the upgrade itself is refused (401)
    assertThatThrownBy(
            () ->
                client
                    .execute(uri, new HttpHeaders(), session -> session.receive().then())
                    .block(Duration.ofSeconds(10)))
        .hasMessageContaining("401");

    // Another tenant's token: one Confluent error, then close code 4000 + status
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(refusal(uri, stranger)).containsExactly("40403", "4404");
    // No consumer_group: 40002 and 4400
    assertThat(refusal(socket(cluster + "/topics/secret/records/ws"), token))
        .containsExactly("40002", "4400");
  }

  /**
   * What the gateway adds to an upgrade it forwards (X-Forwarded-*, a browser's Origin) does not
   * change the session: records are pushed as to a direct client.
   */
  @Test
  void aHandshakeForwardedByAProxyIsServed() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"ticks\",\"partitions_count\":1}", 201);
    produce(cluster, "a");
    HttpHeaders headers = bearer(token);
    headers.set("X-Forwarded-For", "203.0.113.7");
    headers.set("X-Forwarded-Proto", "https");
    headers.set("X-Forwarded-Host", "cumulus.example");
    headers.set("Origin", "https://cumulus.example");

    List<JsonNode> pushed = new CopyOnWriteArrayList<>();
    client
        .execute(
            socket(cluster + "/topics/ticks/records/ws?consumer_group=proxied"),
            headers,
            session ->
                session
                    .receive()
                    .map(m -> ApiCalls.JSON.readTree(m.getPayloadAsText()))
                    .doOnNext(pushed::add)
                    .take(1)
                    .then(session.close()))
        .block(Duration.ofSeconds(30));

    assertThat(pushed).extracting(RecordSocketIT::value).containsExactly("a");
  }

  /** Issue 25's bad input on the socket: one Confluent error and a 4xxx close, never a 1011. */
  @Test
  void badInputIsRefusedWithConfluentsErrorAndA4xxxClose() {
    String cluster = "/kafka/v3/clusters/" + service;
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"one\",\"partitions_count\":1}", 201);
    String ws = cluster + "/topics/one/records/ws?consumer_group=g";

    assertThat(refusal(socket(cluster + "/topics/nope/records/ws?consumer_group=g"), token))
        .containsExactly("40401", "4404");
    assertThat(refusal(socket(ws + "&partition_id=7"), token)).containsExactly("40402", "4404");
    assertThat(refusal(socket(ws + "&partition_id=x"), token)).containsExactly("40002", "4400");
    assertThat(refusal(socket(ws + "&max_records=0"), token)).containsExactly("40002", "4400");
    assertThat(refusal(socket(cluster + "/topics/bad!name/records/ws?consumer_group=g"), token))
        .containsExactly("40002", "4400");
  }

  /** The error message's code and the close code of a refused socket. */
  private List<String> refusal(URI uri, String bearer) {
    List<String> seen = new ArrayList<>();
    client
        .execute(
            uri,
            bearer(bearer),
            session ->
                session
                    .receive()
                    .map(m -> ApiCalls.JSON.readTree(m.getPayloadAsText()))
                    .doOnNext(error -> seen.add(error.path("error_code").asString()))
                    .then(
                        session
                            .closeStatus()
                            .map(CloseStatus::getCode)
                            .doOnNext(code -> seen.add(code.toString()))
                            .then()))
        .block(Duration.ofSeconds(30));
    return seen;
  }

  private void produce(String cluster, String value) {
    api.call(
        "POST",
        cluster + "/topics/ticks/records",
        "{\"value\":{\"type\":\"STRING\",\"data\":\"" + value + "\"}}",
        200);
  }

  private URI socket(String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  private static HttpHeaders bearer(String token) {
    HttpHeaders headers = new HttpHeaders();
    headers.setBearerAuth(token);
    return headers;
  }

  private static String value(JsonNode record) {
    return new String(
        Base64.getDecoder().decode(record.path("value").path("data").asString()),
        StandardCharsets.UTF_8);
  }
}
