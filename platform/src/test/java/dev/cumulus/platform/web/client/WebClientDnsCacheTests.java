package dev.cumulus.platform.web.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.NameResolverProvider;

/** The WebClient connector Boot builds keeps DNS answers at most the configured time. */
class WebClientDnsCacheTests {

  /** Sees the HttpClient as the customizers before it left it. */
  static final class Probe
      implements ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> {
    final AtomicReference<HttpClient> seen = new AtomicReference<>();

    @Override
    public ReactorClientHttpConnectorBuilder customize(ReactorClientHttpConnectorBuilder builder) {
      return builder.withHttpClientCustomizer(
          client -> {
            seen.set(client);
            return client;
          });
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(WebClientProperties.class)
  static class DnsCacheThenProbe {
    @Bean
    WebClientDnsCache webClientDnsCache(WebClientProperties properties) {
      return new WebClientDnsCache(properties.dnsCacheTtl());
    }

    @Bean
    Probe probe() {
      return new Probe();
    }
  }

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ReactiveHttpClientAutoConfiguration.class))
          .withUserConfiguration(DnsCacheThenProbe.class);

  @Test
  void bootsConnectorBuilderAppliesTheConfiguredBound() {
    context
        .withPropertyValues("cumulus.web-client.dns-cache-ttl=7s")
        .run(
            app -> {
              app.getBean(ClientHttpConnector.class);
              NameResolverProvider resolver =
                  app.getBean(Probe.class).seen.get().configuration().getNameResolverProvider();
              assertThat(resolver).isNotNull();
              assertThat(resolver.cacheMaxTimeToLive()).isEqualTo(Duration.ofSeconds(7));
              assertThat(resolver.cacheNegativeTimeToLive()).isEqualTo(Duration.ZERO);
            });
  }

  @Test
  void theDefaultBoundIsFiveSecondsNotTheRecordsTtl() {
    context.run(
        app -> {
          app.getBean(ClientHttpConnector.class);
          assertThat(
                  app.getBean(Probe.class)
                      .seen
                      .get()
                      .configuration()
                      .getNameResolverProvider()
                      .cacheMaxTimeToLive())
              .isEqualTo(Duration.ofSeconds(5));
        });
  }

  @Test
  void keepsWhatOtherCustomizersSet() {
    Probe probe = new Probe();
    ReactorClientHttpConnectorBuilder builder =
        new WebClientDnsCache(Duration.ofSeconds(3))
            .customize(
                ClientHttpConnectorBuilder.reactor()
                    .withHttpClientCustomizer(c -> c.responseTimeout(Duration.ofSeconds(9))));
    probe.customize(builder).build(HttpClientSettings.defaults());

    assertThat(probe.seen.get().configuration().responseTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(probe.seen.get().configuration().getNameResolverProvider().cacheMaxTimeToLive())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void refusesANegativeBound() {
    assertThatThrownBy(() -> new WebClientDnsCache(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dns-cache-ttl");
  }
}
