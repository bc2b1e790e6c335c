package dev.cumulus.commerce.sheets.messaging;

import dev.cumulus.commerce.sheets.application.OrderSheets;
import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Queues a row for each new order from the order events ({@code cumulus.commerce.orders}), once per
 * event, and appends the queue to the sheets every flush interval.
 */
@Configuration(proxyBeanMethods = false)
public class OrderRowConsumer {

  static final String CONSUMER = "commerce-order-sheet-rows";

  private final OrderSheets sheets;

  OrderRowConsumer(OrderSheets sheets) {
    this.sheets = sheets;
  }

  @Bean
  InboxConsumer orderSheetEvents(Inbox inbox, ObjectMapper json) {
    return new InboxConsumer(
        inbox,
        CONSUMER,
        event -> {
          if (!event.type().equals("dev.cumulus.commerce.order.created.v1")) {
            return Mono.empty();
          }
          JsonNode data = json.readTree(event.data());
          List<Object> cells =
              List.of(
                  data.path("orderId").asString(),
                  event.time() == null ? "" : event.time().toString(),
                  data.path("customerEmail").asString(""),
                  data.path("amount").asLong(),
                  data.path("currency").asString(""),
                  data.path("status").asString(""));
          return sheets.queue(event.tenantId(), cells);
        });
  }

  @Scheduled(
      fixedDelayString = "${cumulus.commerce.sheets.flush-interval:2s}",
      initialDelayString = "${cumulus.commerce.sheets.flush-interval:2s}")
  void flush() {
    sheets.flush().block(Duration.ofMinutes(1));
  }
}
