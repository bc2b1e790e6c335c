package dev.cumulus.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.gateway.config.GatewayProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;

class SecurityHeadersTests {

  @Test
  void aResponseWithoutCachingHeadersIsNotCachedAndGetsEveryHardeningHeader() {
    MockServerHttpResponse response = new MockServerHttpResponse();

    SecurityHeaders.addMissing(response, false, false);

    HttpHeaders headers = response.getHeaders();
    assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL))
        .isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
    assertThat(headers.getFirst(HttpHeaders.PRAGMA)).isEqualTo("no-cache");
    assertThat(headers.getFirst(HttpHeaders.EXPIRES)).isEqualTo("0");
    assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
    assertThat(headers.getFirst("X-XSS-Protection")).isEqualTo("0");
    assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(headers.containsHeader("Strict-Transport-Security")).isFalse();
  }

  @Test
  void whatTheServiceSaidAboutCachingAndFramingStaysAndHttpsGetsHsts() {
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "public, max-age=60");
    response.getHeaders().set("X-Frame-Options", "SAMEORIGIN");

    SecurityHeaders.addMissing(response, true, false);

    HttpHeaders headers = response.getHeaders();
    assertThat(headers.get(HttpHeaders.CACHE_CONTROL)).containsExactly("public, max-age=60");
    assertThat(headers.containsHeader(HttpHeaders.PRAGMA)).isFalse();
    assertThat(headers.get("X-Frame-Options")).containsExactly("SAMEORIGIN");
    assertThat(headers.getFirst("Strict-Transport-Security")).startsWith("max-age=31536000");
  }

  @Test
  void aNotModifiedAnswerGetsNoCachingHeaders() {
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.setStatusCode(HttpStatus.NOT_MODIFIED);

    SecurityHeaders.addMissing(response, false, false);

    assertThat(response.getHeaders().containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
  }

  /** AWS SDKs parse {@code Expires} as a date: the AWS-protocol paths never get {@code 0}. */
  @Test
  void awsProtocolResponsesGetNoExpiresZeroAndTheJsonApiStillDoes() {
    SecurityHeaders filter = new SecurityHeaders(new GatewayPaths(defaultProperties()));
    for (String path :
        List.of(
            "/s3",
            "/s3/bucket/photo.jpg",
            "/sqs/",
            "/dynamodb",
            "/rds-data/Execute",
            "/lambda/2015-03-31/functions/f/invocations")) {
      HttpHeaders headers = answered(filter, path);
      assertThat(headers.containsHeader(HttpHeaders.EXPIRES)).as(path).isFalse();
      assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL)).as(path).contains("no-store");
      assertThat(headers.getFirst("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
    }
    for (String path :
        List.of("/api/s3storage/t/s/buckets", "/api/queue/t/s/queues", "/s3storage", "/sqsx")) {
      assertThat(answered(filter, path).getFirst(HttpHeaders.EXPIRES)).as(path).isEqualTo("0");
    }
  }

  /** The headers of a GET through the filter, answered 200 with no headers by the handler. */
  private static HttpHeaders answered(SecurityHeaders filter, String path) {
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
    filter.filter(exchange, e -> e.getResponse().setComplete()).block();
    return exchange.getResponse().getHeaders();
  }

  private static GatewayProperties defaultProperties() {
    ApplicationConversionService conversions = new ApplicationConversionService();
    conversions.addConverter(
        String.class, GatewayProperties.Limit.class, GatewayProperties.Limit::parse);
    return new Binder(List.of(new MapConfigurationPropertySource(Map.of())), null, conversions)
        .bindOrCreate("cumulus.gateway", GatewayProperties.class);
  }
}
