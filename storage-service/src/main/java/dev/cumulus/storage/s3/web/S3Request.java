package dev.cumulus.storage.s3.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * What an S3 request addresses, known before it is authenticated: enough to tell its operation.
 *
 * @param bucket the bucket name, or null for service-level calls (ListBuckets)
 * @param key the object key, or null for bucket-level calls
 * @param query decoded query parameters ({@code ?uploads} maps to an empty value)
 */
record S3Request(
    HttpMethod method,
    String bucket,
    String key,
    Map<String, List<String>> query,
    HttpHeaders headers) {

  String header(String name) {
    return headers.getFirst(name);
  }

  boolean has(String parameter) {
    return query.containsKey(parameter);
  }

  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
