package dev.cumulus.commerce.mail.config;

import com.sendgrid.SendGrid;
import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.mail.application.OrderMails;
import dev.cumulus.commerce.mail.sandbox.SendGridSandbox;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SendGrid's client against SendGrid, or against the built-in sandbox without an API key. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailProperties.class)
public class MailConfiguration {

  @Bean(destroyMethod = "close")
  public SendGridSandboxHolder sendGridSandbox(MailProperties properties) {
    return new SendGridSandboxHolder(
        properties.sandbox() ? SendGridSandbox.start(properties.sandboxPort()) : null);
  }

  @Bean
  OrderMails orderMails(
      MailProperties properties, SendGridSandboxHolder sandbox, IntegrationMonitor monitor) {
    SendGrid client;
    if (sandbox.get() != null) {
      // The sandbox speaks plain HTTP on a local port.
      client = new SendGrid("SG.cumulus-sandbox", true);
      client.setHost(sandbox.get().host());
      monitor.integration("sendgrid").configure("sandbox", () -> "closed");
      monitor.integration("sendgrid").sandboxAt("http://" + sandbox.get().host() + "/inbox");
    } else {
      client = new SendGrid(properties.apiKey());
      monitor.integration("sendgrid").configure("live", () -> "closed");
    }
    return new OrderMails(client, properties.from(), monitor);
  }

  /** Holds the sandbox or nothing (a bean may not be null). */
  public static final class SendGridSandboxHolder implements AutoCloseable {
    private final SendGridSandbox sandbox;

    SendGridSandboxHolder(SendGridSandbox sandbox) {
      this.sandbox = sandbox;
    }

    public SendGridSandbox get() {
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
