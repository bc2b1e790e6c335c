package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.instance.domain.StorageInstance;
import dev.cumulus.storage.s3.auth.S3Authenticator;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * One authenticated S3 request: whose instance it reaches, and what it addresses.
 *
 * @param bucket the bucket name, or null for service-level calls (ListBuckets)
 * @param key the object key, or null for bucket-level calls
 * @param query decoded query parameters ({@code ?uploads} maps to an empty value)
 */
record S3Call(
    ServerRequest request,
    S3Authenticator.Authenticated auth,
    StorageInstance instance,
    String bucket,
    String key,
    Map<String, List<String>> query) {

  HttpHeaders headers() {
    return request.headers().asHttpHeaders();
  }

  String header(String name) {
    return headers().getFirst(name);
  }

  boolean has(String parameter) {
    return query.containsKey(parameter);
  }

  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  String method() {
    return request.method().name();
  }
}
