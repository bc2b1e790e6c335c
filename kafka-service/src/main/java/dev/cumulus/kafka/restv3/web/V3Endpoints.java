package dev.cumulus.kafka.restv3.web;

import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.error.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/** What every v3 controller shares: the cluster lookup, Confluent's error body and list shape. */
abstract class V3Endpoints {

  private final V3Clusters clusters;

  V3Endpoints(V3Clusters clusters) {
    this.clusters = clusters;
  }

  Mono<TopicNames> names(String clusterId) {
    return clusters.names(clusterId);
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<V3Error> apiError(ApiException e) {
    V3Error error = V3Error.of(e);
    return ResponseEntity.status(V3Error.status(error)).body(error);
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<V3Error> inputError(ServerWebInputException e) {
    return ResponseEntity.badRequest().body(new V3Error(40002, "Bad request: " + e.getReason()));
  }

  static Map<String, Object> list(String kind, String self, List<?> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", kind);
    body.put("metadata", Map.of("self", self, "next", ""));
    body.put("data", data);
    return body;
  }
}
