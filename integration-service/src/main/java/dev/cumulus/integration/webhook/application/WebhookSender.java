package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.common.OutboundHttp;
import dev.cumulus.integration.common.RefusedAddressException;
import dev.cumulus.integration.webhook.config.WebhookProperties;
import dev.cumulus.integration.webhook.domain.WebhookSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;

/**
 * One signed POST of a message to an endpoint: Standard Webhooks headers plus seed 000's {@code
 * X-Signature}, the whole attempt bounded by the configured timeout, every redirect hop checked
 * against the address policy before it is followed.
 */
@Component
class WebhookSender {

  private static final Set<Integer> RETRY_AFTER_STATUSES = Set.of(429, 502, 503, 504);

  private final OutboundHttp http;
  private final WebhookProperties properties;

  WebhookSender(OutboundHttp http, WebhookProperties properties) {
    this.http = http;
    this.properties = properties;
  }

  /**
   * @param custom the endpoint's own headers (validated by {@code CustomHeaders}); the sender's
   *     headers are set after them
   * @param secrets the secrets to sign with, current first
   */
  Mono<AttemptOutcome> send(
      String url,
      Map<String, String> custom,
      String messageId,
      String payload,
      List<String> secrets) {
    long timestamp = Instant.now().getEpochSecond();
    HttpHeaders headers = new HttpHeaders();
    custom.forEach(headers::set);
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.set("User-Agent", "Cumulus-Webhooks/1");
    headers.set("webhook-id", messageId);
    headers.set("webhook-timestamp", Long.toString(timestamp));
    headers.set(
        "webhook-signature", WebhookSignature.standard(secrets, messageId, timestamp, payload));
    headers.set("X-Signature", WebhookSignature.seed(secrets.getFirst(), payload));
    long start = System.nanoTime();
    return post(URI.create(url), headers, payload, 0)
        .timeout(properties.timeout())
        .onErrorResume(e -> Mono.just(new AttemptOutcome(null, 0, "", describe(e), null)))
        .map(
            outcome ->
                new AttemptOutcome(
                    outcome.statusCode(),
                    (System.nanoTime() - start) / 1_000_000,
                    outcome.excerpt(),
                    outcome.error(),
                    outcome.retryAfter()));
  }

  private Mono<AttemptOutcome> post(URI url, HttpHeaders headers, String payload, int hops) {
    return http.check(url)
        .flatMap(
            checked ->
                http.client()
                    .post()
                    .uri(checked)
                    .headers(h -> h.addAll(headers))
                    .bodyValue(payload)
                    .exchangeToMono(response -> answer(url, response, headers, payload, hops)));
  }

  private Mono<AttemptOutcome> answer(
      URI url, ClientResponse response, HttpHeaders headers, String payload, int hops) {
    int status = response.statusCode().value();
    URI location = response.headers().asHttpHeaders().getLocation();
    if (response.statusCode().is3xxRedirection() && location != null) {
      if (hops >= properties.maxRedirects()) {
        return response
            .releaseBody()
            .thenReturn(new AttemptOutcome(status, 0, "", "too many redirects", null));
      }
      // The same signed POST to the next hop, checked like the first.
      return response.releaseBody().then(post(url.resolve(location), headers, payload, hops + 1));
    }
    Duration retryAfter =
        RETRY_AFTER_STATUSES.contains(status)
            ? retryAfter(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER))
            : null;
    return excerpt(response).map(text -> new AttemptOutcome(status, 0, text, null, retryAfter));
  }

  /** The first bytes of the body; the rest is not read into memory. */
  private Mono<String> excerpt(ClientResponse response) {
    int limit = properties.excerptBytes();
    return DataBufferUtils.join(
            response
                .bodyToFlux(DataBuffer.class)
                .scan(
                    new Limited(0, null),
                    (acc, buffer) -> new Limited(acc.total() + buffer.readableByteCount(), buffer))
                .skip(1)
                .takeUntil(acc -> acc.total() >= limit)
                .map(Limited::buffer))
        .map(
            joined -> {
              byte[] bytes = new byte[Math.min(limit, joined.readableByteCount())];
              joined.read(bytes);
              DataBufferUtils.release(joined);
              return new String(bytes, StandardCharsets.UTF_8);
            })
        .defaultIfEmpty("");
  }

  private record Limited(long total, DataBuffer buffer) {}

  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at =
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(Instant.now(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof RefusedAddressException refused) {
      return "refused: " + refused.getMessage();
    }
    if (e instanceof TimeoutException) {
      return "timed out";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof RefusedAddressException refused) {
        return "refused: " + refused.getMessage();
      }
      root = root.getCause();
    }
    if (root instanceof RefusedAddressException refused) {
      return "refused: " + refused.getMessage();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.length() > 300 ? message.substring(0, 300) : message;
  }
}
