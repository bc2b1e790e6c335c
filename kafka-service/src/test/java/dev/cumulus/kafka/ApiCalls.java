package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** HTTP calls of one caller (a bearer token) against a running service, answers as JSON. */
public record ApiCalls(WebTestClient http, String token) {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  public JsonNode call(String method, String uri, String body, int expected) {
    WebTestClient.ResponseSpec response = exchange(method, uri, token, body);
    byte[] bytes =
        response
            .expectStatus()
            .isEqualTo(expected)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return bytes == null ? JSON.missingNode() : JSON.readTree(bytes);
  }

  public int status(String method, String uri, String bearer, String body) {
    // expectBody() reads the body, which releases its buffer; returnResult(byte[].class) would
    // leave it unread (a Netty LEAK report per call under -Dio.netty.leakDetection.level=paranoid).
    return exchange(method, uri, bearer, body).expectBody().returnResult().getStatus().value();
  }

  /** An error answer: the status, and the DockSaaS envelope with the code. */
  public void error(String method, String uri, String body, int status, String code) {
    JsonNode error = call(method, uri, body, status);
    assertThat(error.path("error").path("code").asString()).isEqualTo(code);
    assertThat(error.path("error").path("message").asString()).isNotBlank();
    assertThat(error.has("requestId")).isTrue();
  }

  private WebTestClient.ResponseSpec exchange(
      String method, String uri, String bearer, String body) {
    WebTestClient.RequestBodySpec spec = http.method(HttpMethod.valueOf(method)).uri(uri);
    if (bearer != null) {
      spec = spec.header("Authorization", "Bearer " + bearer);
    }
    return body == null
        ? spec.exchange()
        : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
  }
}
