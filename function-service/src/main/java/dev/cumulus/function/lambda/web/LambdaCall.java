package dev.cumulus.function.lambda.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * One verified Lambda API request: the instance it acts on, the path after the API version ({@code
 * functions/...}), and its query, headers and body.
 */
record LambdaCall(
    String tenantId,
    String serviceId,
    String method,
    List<String> path,
    Map<String, List<String>> query,
    HttpHeaders headers,
    byte[] body) {

  String queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
