package dev.cumulus.commerce.stripe.config;

import com.stripe.StripeClient;
import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.stripe.client.StripePayments;
import dev.cumulus.commerce.stripe.sandbox.StripeSandbox;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * stripe-java against Stripe, or against the built-in sandbox when no API key is configured (the
 * sandbox then sends its webhooks to this service's own {@code /webhooks/stripe}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StripeProperties.class)
public class StripeConfiguration {

  /** The sandbox, only without an API key. */
  @Bean(destroyMethod = "close")
  StripeSandboxHolder stripeSandbox(StripeProperties properties) {
    return new StripeSandboxHolder(
        properties.sandbox()
            ? StripeSandbox.start(properties.sandboxPort(), properties.webhookSecret())
            : null);
  }

  @Bean
  StripePayments stripePayments(
      StripeProperties properties, StripeSandboxHolder sandbox, IntegrationMonitor monitor) {
    StripeClient.StripeClientBuilder client =
        StripeClient.builder()
            .setApiKey(properties.sandbox() ? "sk_test_cumulus_sandbox" : properties.apiKey())
            .setConnectTimeout(5_000)
            .setReadTimeout((int) properties.callTimeout().toMillis())
            .setMaxNetworkRetries(0);
    String base = sandbox.get() != null ? sandbox.get().apiBase() : properties.apiBase();
    if (sandbox.get() != null) {
      monitor.integration("stripe").sandboxAt(base);
    }
    if (!base.isBlank()) {
      client.setApiBase(base);
    }
    return new StripePayments(
        client.build(), properties, properties.sandbox() ? "sandbox" : "live", monitor);
  }

  /** Points the sandbox's webhooks at this service once its port is known. */
  @Bean
  ApplicationListener<WebServerInitializedEvent> stripeSandboxWebhooks(
      ObjectProvider<StripeSandboxHolder> sandbox) {
    AtomicReference<URI> target = new AtomicReference<>();
    return event -> {
      target.set(
          URI.create("http://127.0.0.1:" + event.getWebServer().getPort() + "/webhooks/stripe"));
      StripeSandbox s = sandbox.getObject().get();
      if (s != null) {
        s.webhookTarget(target::get);
      }
    };
  }

  /** Holds the sandbox or nothing (a bean may not be null). */
  public static final class StripeSandboxHolder implements AutoCloseable {
    private final StripeSandbox sandbox;

    StripeSandboxHolder(StripeSandbox sandbox) {
      this.sandbox = sandbox;
    }

    public StripeSandbox get() {
      return sandbox;
    }

    @Override
    public void close() {
      if (sandbox != null) {
        sandbox.close();
      }
    }
  }
}
