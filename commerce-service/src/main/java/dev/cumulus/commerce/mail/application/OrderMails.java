package dev.cumulus.commerce.mail.application;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import dev.cumulus.commerce.common.application.IntegrationMonitor;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The customer's e-mail for an order event, through SendGrid's client. A failure is retried a few
 * times, then logged for monitoring and given up: an e-mail never holds an order back.
 */
public class OrderMails {

  /** What an order event says about the mail to send. */
  public record OrderMail(
      String tenantId, UUID orderId, String verb, String to, String status, String amount) {}

  private final SendGrid sendGrid;
  private final String from;
  private final IntegrationMonitor monitor;

  public OrderMails(SendGrid sendGrid, String from, IntegrationMonitor monitor) {
    this.sendGrid = sendGrid;
    this.from = from;
    this.monitor = monitor;
  }

  public Mono<Void> send(OrderMail mail) {
    String subject = subject(mail);
    if (subject == null || mail.to() == null) {
      return Mono.empty();
    }
    return Mono.fromCallable(() -> post(mail, subject))
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(Duration.ofSeconds(10))
        .retryWhen(Retry.backoff(2, Duration.ofMillis(200)))
        .doOnSuccess(id -> monitor.integration("sendgrid").succeeded())
        .then()
        .onErrorResume(
            error ->
                monitor.failed(
                    "sendgrid",
                    mail.tenantId(),
                    mail.orderId(),
                    "Failed to send the " + mail.verb() + " e-mail",
                    error.getCause() != null ? error.getCause() : error));
  }

  private String post(OrderMail mail, String subject) throws IOException {
    Mail message =
        new Mail(
            new Email(from),
            subject,
            new Email(mail.to()),
            new Content(
                "text/plain",
                subject
                    + "\nOrder "
                    + mail.orderId()
                    + ": "
                    + mail.status()
                    + ", "
                    + mail.amount()));
    Request request = new Request();
    request.setMethod(Method.POST);
    request.setEndpoint("mail/send");
    request.setBody(message.build());
    Response response = sendGrid.api(request);
    if (response.getStatusCode() >= 300) {
      throw new IOException(
          "SendGrid answered " + response.getStatusCode() + ": " + response.getBody());
    }
    return response.getHeaders().get("X-Message-Id");
  }

  private static String subject(OrderMail mail) {
    return switch (mail.verb()) {
      case "created" -> "Order received: " + mail.orderId();
      case "paid" -> "Payment received for order " + mail.orderId();
      case "cancelled" -> "Order cancelled: " + mail.orderId();
      case "refunded" -> "Refund issued for order " + mail.orderId();
      default -> null;
    };
  }
}
