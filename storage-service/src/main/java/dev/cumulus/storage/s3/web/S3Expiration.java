package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.lifecycle.application.LifecycleService;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * S3's {@code x-amz-expiration} on PutObject, GetObject and HeadObject of a current version that a
 * lifecycle rule expires: {@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="..."}.
 */
class S3Expiration {

  static final String HEADER = "x-amz-expiration";

  private final LifecycleService lifecycle;

  S3Expiration(LifecycleService lifecycle) {
    this.lifecycle = lifecycle;
  }

  /** Adds the header to a successful object response when a rule applies. Never fails it. */
  Mono<ServerResponse> decorate(S3Call call, ServerResponse response) {
    HttpMethod method = call.request().method();
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    boolean write = method == HttpMethod.PUT && call.query().isEmpty();
    if (call.key() == null
        || !(read || write)
        || call.has("versionId")
        || call.has("uploadId")
        || !response.statusCode().is2xxSuccessful()) {
      return Mono.just(response);
    }
    return lifecycle
        .expiryOf(call.instance(), call.bucket(), call.key(), () -> modified(response, write))
        .doOnNext(
            expiry ->
                call.request()
                    .exchange()
                    .getResponse()
                    .getHeaders()
                    .set(
                        HEADER,
                        "expiry-date=\""
                            + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                expiry.at().atOffset(ZoneOffset.UTC))
                            + "\", rule-id=\""
                            + expiry.ruleId()
                            + "\""))
        .onErrorResume(e -> Mono.empty())
        .thenReturn(response);
  }

  /** Read from the response only when the bucket has rules: parsing the date costs every GET. */
  private static Instant modified(ServerResponse response, boolean write) {
    long lastModified = response.headers().getLastModified();
    return write || lastModified < 0 ? Instant.now() : Instant.ofEpochMilli(lastModified);
  }
}
