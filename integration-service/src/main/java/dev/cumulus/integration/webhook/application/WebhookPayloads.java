package dev.cumulus.integration.webhook.application;

import dev.cumulus.platform.events.ReceivedEvent;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The body a receiver gets, in both seeds' shapes at once: seed 002's {@code {event, timestamp,
 * data}} and seed 000's {@code eventType}, {@code tenantId}, {@code serviceId}. An event whose data
 * is already seed 000's envelope (auth-service's {@code service.created}) is unwrapped, not nested.
 */
@Component
public class WebhookPayloads {

  private final ObjectMapper json;

  public WebhookPayloads(ObjectMapper json) {
    this.json = json;
  }

  public String of(String eventName, ReceivedEvent event) {
    JsonNode data = event.data().isBlank() ? json.createObjectNode() : json.readTree(event.data());
    JsonNode inner = data;
    String serviceId = text(data, "serviceId");
    if (data.has("eventType") && data.has("data")) {
      inner = data.get("data");
    }
    OffsetDateTime time = event.time() == null ? OffsetDateTime.now(ZoneOffset.UTC) : event.time();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", eventName);
    body.put("eventType", eventName);
    body.put(
        "timestamp",
        DateTimeFormatter.ISO_INSTANT.format(time.toInstant().truncatedTo(ChronoUnit.MILLIS)));
    body.put("tenantId", event.tenantId());
    if (serviceId != null) {
      body.put("serviceId", serviceId);
    }
    body.put("data", inner);
    return json.writeValueAsString(body);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
