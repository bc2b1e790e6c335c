package dev.cumulus.storage.cors.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorsRuleTests {

  static final CorsRule WEB =
      new CorsRule(
          "web",
          List.of("https://*.example.com"),
          List.of("GET", "PUT"),
          List.of("x-amz-*", "Content-Type"),
          List.of("ETag"),
          600);

  @Test
  void oneWildcardInOriginsAndHeaders() {
    assertThat(WEB.allows("https://app.example.com", "GET")).isTrue();
    assertThat(WEB.allows("https://example.com", "GET")).isFalse();
    assertThat(WEB.allows("http://app.example.com", "GET")).isFalse();
    assertThat(WEB.allows("https://app.example.com", "DELETE")).isFalse();
    assertThat(
            WEB.allowsPreflight(
                "https://a.example.com", "PUT", List.of("X-Amz-Date", "content-type")))
        .isTrue();
    assertThat(WEB.allowsPreflight("https://a.example.com", "PUT", List.of("authorization")))
        .isFalse();
    assertThat(WEB.allowOrigin("https://a.example.com")).isEqualTo("https://a.example.com");
    CorsRule any = new CorsRule(null, List.of("*"), List.of("GET"), null, null, null);
    assertThat(any.allowOrigin("https://x.test")).isEqualTo("*");
    assertThat(any.allowsPreflight("https://x.test", "GET", List.of())).isTrue();
    assertThat(any.allowsPreflight("https://x.test", "GET", List.of("x-custom"))).isFalse();
  }

  @Test
  void violationsAndFirstMatchingRule() {
    CorsRule other = new CorsRule("other", List.of("*"), List.of("GET"), null, null, null);
    CorsConfiguration config = new CorsConfiguration(List.of(WEB, other));
    assertThat(config.violation()).isEmpty();
    assertThat(config.matchActual("https://a.example.com", "GET")).contains(WEB);
    assertThat(config.matchActual("https://elsewhere.test", "GET")).contains(other);
    assertThat(config.matchActual("https://elsewhere.test", "PUT")).isEmpty();
    assertThat(
            new CorsConfiguration(
                    List.of(new CorsRule(null, List.of("*"), List.of("PATCH"), null, null, null)))
                .violation())
        .hasValueSatisfying(v -> assertThat(v).contains("Unsupported method is PATCH"));
    assertThat(
            new CorsConfiguration(
                    List.of(new CorsRule(null, List.of("*.*"), List.of("GET"), null, null, null)))
                .violation())
        .isPresent();
    assertThat(new CorsConfiguration(java.util.Collections.nCopies(101, other)).violation())
        .isPresent();
  }
}
