package dev.cumulus.commerce.mail.messaging;

import dev.cumulus.commerce.mail.application.OrderMails;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import dev.cumulus.platform.events.ReceivedEvent;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Sends the customer's e-mails from the order events of the outbox ({@code
 * cumulus.commerce.orders}), once per event: the order's transaction never waits for SendGrid.
 */
@Configuration(proxyBeanMethods = false)
public class OrderMailConsumer {

  static final String CONSUMER = "commerce-order-mails";

  /** {@code dev.cumulus.commerce.order.<verb>.v1}: OrderEvents' types. */
  static final String ORDER_EVENT = "dev.cumulus.commerce.order.";

  @Bean
  InboxConsumer orderMailEvents(Inbox inbox, OrderMails mails, ObjectMapper json) {
    return new InboxConsumer(inbox, CONSUMER, event -> handle(event, mails, json));
  }

  private static Mono<Void> handle(ReceivedEvent event, OrderMails mails, ObjectMapper json) {
    String type = event.type();
    if (!type.startsWith(ORDER_EVENT) || !type.endsWith(".v1")) {
      return Mono.empty();
    }
    String verb = type.substring(ORDER_EVENT.length(), type.length() - ".v1".length());
    JsonNode data = json.readTree(event.data());
    return mails.send(
        new OrderMails.OrderMail(
            event.tenantId(),
            UUID.fromString(data.path("orderId").asString()),
            verb,
            data.path("customerEmail").asString(null),
            data.path("status").asString(""),
            data.path("amount").asLong() + " " + data.path("currency").asString("")));
  }
}
