package dev.cumulus.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

class RateLimitPropertiesTests {

  @Test
  void limitsAreWrittenAsRequestsPerWindow() {
    assertThat(GatewayProperties.Limit.parse("1000/1h"))
        .isEqualTo(new GatewayProperties.Limit(1000, Duration.ofHours(1)));
    assertThat(GatewayProperties.Limit.parse(" 100 / 15m ").window())
        .isEqualTo(Duration.ofMinutes(15));
    assertThatThrownBy(() -> GatewayProperties.Limit.parse("1000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayProperties.Limit.parse("0/1h"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultsAreTheSeedsNumbersAndEachCanBeOverridden() {
    ApplicationConversionService conversions = new ApplicationConversionService();
    conversions.addConverter(
        String.class, GatewayProperties.Limit.class, GatewayProperties.Limit::parse);
    Binder binder =
        new Binder(
            java.util.List.of(
                new MapConfigurationPropertySource(
                    Map.of("cumulus.gateway.rate-limits.plans.pro", "20000/1h"))),
            null,
            conversions);
    GatewayProperties properties = binder.bindOrCreate("cumulus.gateway", GatewayProperties.class);
    GatewayProperties.RateLimits limits = properties.rateLimits();
    assertThat(limits.plans().of("free").requests()).isEqualTo(1000);
    assertThat(limits.plans().of(null).requests()).isEqualTo(1000);
    assertThat(limits.plans().of("pro").requests()).isEqualTo(20000);
    assertThat(limits.plans().of("enterprise").requests()).isEqualTo(100000);
    assertThat(limits.autoUpdate().anonymous()).isEqualTo(GatewayProperties.Limit.parse("100/1m"));
    assertThat(limits.autoUpdate().user()).isEqualTo(GatewayProperties.Limit.parse("1000/1m"));
    assertThat(limits.autoUpdate().admin()).isEqualTo(GatewayProperties.Limit.parse("5000/1m"));
    assertThat(limits.cloudIntegration()).isEqualTo(GatewayProperties.Limit.parse("100/15m"));
    assertThat(properties.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(3));
  }
}
