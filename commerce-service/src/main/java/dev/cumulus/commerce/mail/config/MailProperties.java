package dev.cumulus.commerce.mail.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Order e-mails through SendGrid ({@code cumulus.commerce.mail.*}). Without an {@code apiKey} they
 * go to the built-in SendGrid sandbox, whose {@code /inbox} shows them.
 *
 * @param apiKey SendGrid API key ({@code SG....}); empty: sandbox
 * @param from the sender address
 * @param sandboxPort the sandbox's port (0: any free one)
 */
@ConfigurationProperties("cumulus.commerce.mail")
public record MailProperties(
    @DefaultValue("") String apiKey,
    @DefaultValue("orders@cumulus.local") String from,
    @DefaultValue("0") int sandboxPort) {

  public boolean sandbox() {
    return apiKey.isBlank();
  }
}
