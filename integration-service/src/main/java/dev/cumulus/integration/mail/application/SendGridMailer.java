package dev.cumulus.integration.mail.application;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import dev.cumulus.integration.mail.config.MailProperties;
import dev.cumulus.integration.mail.persistence.MailRepository.PendingMail;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends one mail with SendGrid's Java client: to SendGrid with an API key, else to this service's
 * own SendGrid-compatible fake (plain HTTP on its port), so a local setup sees every mail in the
 * inbox. The client blocks, so it runs on a bounded elastic thread.
 */
@Component
class SendGridMailer {

  private final MailProperties properties;
  private volatile SendGrid client;

  SendGridMailer(MailProperties properties) {
    this.properties = properties;
    if (!properties.fake()) {
      client = new SendGrid(properties.apiKey());
      if (!properties.host().isBlank()) {
        client.setHost(properties.host());
      }
    } else if (!properties.host().isBlank()) {
      client = fakeClient(properties.host());
    }
  }

  /** Without a key or host, the fake is this service: its port is known once the server runs. */
  @EventListener
  void serverStarted(WebServerInitializedEvent event) {
    if (client == null) {
      client = fakeClient("127.0.0.1:" + event.getWebServer().getPort());
    }
  }

  boolean ready() {
    return client != null;
  }

  /** SendGrid's message id. */
  Mono<String> send(PendingMail pending) {
    return Mono.fromCallable(() -> call(pending)).subscribeOn(Schedulers.boundedElastic());
  }

  private String call(PendingMail pending) throws IOException {
    Mail mail =
        new Mail(
            new Email(properties.from(), properties.fromName()),
            pending.subject(),
            new Email(pending.to()),
            new Content("text/plain", pending.text()));
    mail.addContent(new Content("text/html", pending.html()));
    mail.addCustomArg("tenant_id", pending.tenantId());
    mail.addCustomArg("mail_id", pending.id().toString());
    Request request = new Request();
    request.setMethod(Method.POST);
    request.setEndpoint("mail/send");
    request.setBody(mail.build());
    Response response = client.api(request);
    if (response.getStatusCode() >= 300) {
      throw new MailRefusedException(response.getStatusCode(), response.getBody());
    }
    return response.getHeaders().entrySet().stream()
        .filter(h -> h.getKey().equalsIgnoreCase("X-Message-Id"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private SendGrid fakeClient(String host) {
    SendGrid fake = new SendGrid(properties.fakeKey(), true);
    fake.setHost(host);
    return fake;
  }
}
