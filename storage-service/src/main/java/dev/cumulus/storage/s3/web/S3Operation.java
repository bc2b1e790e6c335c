package dev.cumulus.storage.s3.web;

import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * One S3 API operation: which requests it answers and who handles them.
 *
 * @param name S3's name of the operation ({@code PutObject}): the {@code api} tag of its metrics
 * @param level what the request's path addresses
 * @param method its HTTP method
 * @param subResource the sub-resource query parameter that names it ({@code versioning}), null for
 *     none
 * @param when what else tells it apart from an operation of the same method and sub-resource (a
 *     header, a parameter): taken in the table's order
 */
record S3Operation(
    String name,
    Level level,
    HttpMethod method,
    String subResource,
    Predicate<S3Request> when,
    Function<S3Call, Mono<ServerResponse>> handler) {

  /** The service (no bucket in the path), a bucket, or an object. */
  enum Level {
    SERVICE,
    BUCKET,
    OBJECT;

    static Level of(S3Request request) {
      return request.bucket() == null ? SERVICE : request.key() == null ? BUCKET : OBJECT;
    }
  }

  Mono<ServerResponse> handle(S3Call call) {
    return handler.apply(call);
  }
}
