package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** JSON calls through one client, answering the status and the parsed body (a map). */
final class Api {

  private static final ParameterizedTypeReference<Object> JSON =
      new ParameterizedTypeReference<>() {};

  private final WebTestClient http;

  Api(WebTestClient http) {
    this.http = http;
  }

  /**
   * The answer to one call.
   *
   * @param json the parsed body: a map for objects, a list for arrays, null when empty
   */
  record Answer(int status, HttpHeaders headers, Object json) {

    /** The body as a JSON object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> body() {
      assertThat(json).as("a JSON object body").isInstanceOf(Map.class);
      return (Map<String, Object>) json;
    }

    /** The body as a JSON array of objects. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items() {
      assertThat(json).as("a JSON array body").isInstanceOf(List.class);
      return (List<Map<String, Object>>) json;
    }

    Answer expect(int expected) {
      assertThat(status).as("status; body %s", json).isEqualTo(expected);
      return this;
    }

    /** A value by dotted path, e.g. {@code data.user.role}. */
    @SuppressWarnings("unchecked")
    <T> T at(String path) {
      Object node = json;
      for (String part : path.split("\\.")) {
        assertThat(node).as("%s in %s", path, json).isInstanceOf(Map.class);
        node = ((Map<String, Object>) node).get(part);
      }
      return (T) node;
    }

    List<Map<String, Object>> list(String path) {
      return at(path);
    }

    String header(String name) {
      return headers.getFirst(name);
    }
  }

  Answer get(String path, Consumer<HttpHeaders> headers) {
    return call(HttpMethod.GET, path, headers, null);
  }

  Answer post(String path, Consumer<HttpHeaders> headers, Object body) {
    return call(HttpMethod.POST, path, headers, body);
  }

  Answer put(String path, Consumer<HttpHeaders> headers, Object body) {
    return call(HttpMethod.PUT, path, headers, body);
  }

  Answer patch(String path, Consumer<HttpHeaders> headers, Object body) {
    return call(HttpMethod.PATCH, path, headers, body);
  }

  Answer delete(String path, Consumer<HttpHeaders> headers) {
    return call(HttpMethod.DELETE, path, headers, null);
  }

  Answer call(HttpMethod method, String path, Consumer<HttpHeaders> headers, Object body) {
    WebTestClient.RequestBodySpec request = http.method(method).uri(path).headers(headers);
    WebTestClient.RequestHeadersSpec<?> ready =
        body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    EntityExchangeResult<Object> result = ready.exchange().expectBody(JSON).returnResult();
    return new Answer(
        result.getStatus().value(), result.getResponseHeaders(), result.getResponseBody());
  }

  /** Headers for a bearer token, optionally with the seed-003 tenant header. */
  static Consumer<HttpHeaders> bearer(String token) {
    return h -> h.setBearerAuth(token);
  }

  static Consumer<HttpHeaders> bearer(String token, String tenantDomain) {
    return h -> {
      h.setBearerAuth(token);
      h.set("X-Tenant-Domain", tenantDomain);
    };
  }

  static Consumer<HttpHeaders> apiKey(String key) {
    return h -> h.set("X-API-Key", key);
  }

  static Consumer<HttpHeaders> none() {
    return h -> {};
  }
}
