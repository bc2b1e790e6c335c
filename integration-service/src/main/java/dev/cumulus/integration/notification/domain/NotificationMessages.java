package dev.cumulus.integration.notification.domain;

import java.util.Map;

/** The human sentence of a notification, from the event's fields. */
public final class NotificationMessages {

  private NotificationMessages() {}

  public static String of(String type, Map<String, Object> data) {
    return switch (type) {
      case "update_completed" ->
          "%s has been successfully updated to %s"
              .formatted(
                  field(data, "container", "containerName", "name"),
                  field(data, "image", "newImage"));
      case "update_failed" ->
          "Updating %s failed: %s"
              .formatted(
                  field(data, "container", "containerName", "name"),
                  field(data, "error", "reason"));
      case "payment_succeeded" ->
          "Payment for %s succeeded".formatted(field(data, "orderId", "id"));
      case "payment_failed" ->
          "Payment for %s failed: %s"
              .formatted(field(data, "orderId", "id"), field(data, "reason", "error"));
      case "webhook_disabled" ->
          "Webhook endpoint %s was disabled: %s"
              .formatted(field(data, "url"), field(data, "reason"));
      case "quota_near" ->
          "%s is at %s of its quota"
              .formatted(field(data, "resource", "serviceId"), field(data, "percent", "usage"));
      case "service_ready" ->
          "Service %s is ready".formatted(field(data, "serviceName", "serviceId"));
      case "service_failed" ->
          "Service %s could not be provisioned: %s"
              .formatted(field(data, "serviceName", "serviceId"), field(data, "reason"));
      default -> type;
    };
  }

  private static String field(Map<String, Object> data, String... names) {
    for (String name : names) {
      Object value = data.get(name);
      if (value instanceof Map<?, ?> nested && nested.get("name") != null) {
        return nested.get("name").toString();
      }
      if (value != null) {
        return value.toString();
      }
    }
    return "(unknown)";
  }
}
