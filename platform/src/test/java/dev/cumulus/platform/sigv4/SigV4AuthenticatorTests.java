package dev.cumulus.platform.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/** A correct signature is not enough: the scope must name a served region and the endpoint. */
class SigV4AuthenticatorTests {

  private static final String SECRET = "test-secret-key";
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final String AMZ_DATE = "20261206T100000Z";

  private final SigningKeys keys =
      (id, date, region, service) ->
          Mono.just(
              new SigningKeys.Grant(
                  id, "tenant", "instance", SigV4.signingKey(SECRET, date, region, service)));

  private final SigV4Authenticator authenticator =
      new SigV4Authenticator(keys, Clock.fixed(NOW, ZoneOffset.UTC), List.of("us-east-1"));

  /** Headers of a GET of {@code path} signed correctly for {@code region} and {@code service}. */
  private static HttpHeaders signed(String path, String region, String service) {
    String scope = "20261206/" + region + "/" + service + "/aws4_request";
    List<String> names = List.of("host", "x-amz-content-sha256", "x-amz-date");
    Map<String, List<String>> values =
        Map.of(
            "host", List.of("localhost:8080"),
            "x-amz-content-sha256", List.of(SigV4.EMPTY_SHA256),
            "x-amz-date", List.of(AMZ_DATE));
    String canonical =
        SigV4.canonicalRequest("GET", path, Map.of(), names, values, SigV4.EMPTY_SHA256);
    String signature =
        SigV4.sign(
            SigV4.signingKey(SECRET, "20261206", region, service),
            SigV4.stringToSign(AMZ_DATE, scope, canonical));
    HttpHeaders headers = new HttpHeaders();
    values.forEach(headers::put);
    headers.set(
        HttpHeaders.AUTHORIZATION,
        SigV4.ALGORITHM
            + " Credential=AKIDEXAMPLE/"
            + scope
            + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
            + signature);
    return headers;
  }

  private Throwable failure(String path, HttpHeaders headers) {
    try {
      authenticator.authenticate("GET", path, Map.of(), headers).block();
      return null;
    } catch (ApiException e) {
      return e;
    }
  }

  @Test
  void acceptsTheEndpointsServiceInAServedRegion() {
    assertThat(failure("/s3/bucket/key", signed("/s3/bucket/key", "us-east-1", "s3"))).isNull();
    assertThat(failure("/sqs/", signed("/sqs/", "us-east-1", "sqs"))).isNull();
  }

  @Test
  void refusesAnotherRegionOrAnotherServiceAsMalformed() {
    Throwable region = failure("/s3/bucket", signed("/s3/bucket", "eu-west-1", "s3"));
    assertThat(region).isInstanceOf(ApiException.class).hasMessageContaining("eu-west-1");
    assertThat(((ApiException) region).code()).isEqualTo("AuthorizationHeaderMalformed");

    Throwable service = failure("/s3/bucket", signed("/s3/bucket", "us-east-1", "sqs"));
    assertThat(service).isInstanceOf(ApiException.class).hasMessageContaining("'s3'");
    assertThat(((ApiException) service).code()).isEqualTo("AuthorizationHeaderMalformed");
  }
}
