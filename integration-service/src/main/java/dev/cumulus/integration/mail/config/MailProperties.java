package dev.cumulus.integration.mail.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * E-mail through SendGrid ({@code cumulus.integration.mail.*}).
 *
 * @param apiKey SendGrid API key (env {@code SENDGRID_API_KEY}); empty: mails go to the local
 *     SendGrid-compatible fake this service serves at {@code /v3/mail/send}
 * @param host SendGrid's API host; empty: SendGrid's own with a key, this service's port without
 * @param fakeKey the key the local fake accepts (what the client sends without a real key)
 * @param from the sender address
 * @param fromName the sender name
 * @param retryDelays waits after failed sends; after the last the mail stays pending at the last
 *     delay, never dropped
 * @param pollInterval how often due mails are looked for (new ones wake the relay at once)
 * @param branding the template's brand
 */
@ConfigurationProperties("cumulus.integration.mail")
public record MailProperties(
    @DefaultValue("") String apiKey,
    @DefaultValue("") String host,
    @DefaultValue("SG.cumulus-local-inbox") String fakeKey,
    @DefaultValue("notifications@cumulus.local") String from,
    @DefaultValue("Cumulus") String fromName,
    @DefaultValue({"5s", "30s", "2m", "10m", "1h"}) List<Duration> retryDelays,
    @DefaultValue("2s") Duration pollInterval,
    @DefaultValue Branding branding) {

  public boolean fake() {
    return apiKey.isBlank();
  }

  /** Brand fields of the e-mail template. */
  public record Branding(
      @DefaultValue("Cumulus") String productName,
      @DefaultValue("#2563eb") String primaryColor,
      @DefaultValue("") String logoUrl,
      @DefaultValue("You receive this because e-mail notifications are on in your preferences.")
          String footer) {}
}
