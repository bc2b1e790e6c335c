package dev.cumulus.integration.notification.domain;

import java.util.Map;
import java.util.Optional;

/**
 * The platform events that become notifications, by event name, and how they read. Events not
 * listed here (an object upload, say) make no notification: they are webhook material.
 */
public record NotificationKind(String type, String level, String title) {

  private static final Map<String, NotificationKind> BY_EVENT =
      Map.ofEntries(
          Map.entry(
              "update.completed",
              new NotificationKind("update_completed", "info", "Container Update Completed")),
          Map.entry(
              "update.finished",
              new NotificationKind("update_completed", "info", "Container Update Completed")),
          Map.entry(
              "update.failed",
              new NotificationKind("update_failed", "error", "Container Update Failed")),
          Map.entry(
              "payment.succeeded",
              new NotificationKind("payment_succeeded", "info", "Payment Succeeded")),
          Map.entry(
              "order.paid", new NotificationKind("payment_succeeded", "info", "Payment Succeeded")),
          Map.entry(
              "payment.failed", new NotificationKind("payment_failed", "error", "Payment Failed")),
          Map.entry(
              "order.payment-failed",
              new NotificationKind("payment_failed", "error", "Payment Failed")),
          Map.entry(
              "webhook-endpoint.disabled",
              new NotificationKind("webhook_disabled", "warning", "Webhook Endpoint Disabled")),
          Map.entry(
              "quota.near", new NotificationKind("quota_near", "warning", "Quota Nearly Used")),
          Map.entry(
              "instance.ready", new NotificationKind("service_ready", "info", "Service Ready")),
          Map.entry(
              "instance.failed",
              new NotificationKind("service_failed", "error", "Service Failed")));

  public static Optional<NotificationKind> forEvent(String eventName) {
    return Optional.ofNullable(BY_EVENT.get(eventName));
  }

  /** Every type a preference may name. */
  public static boolean isKnownType(String type) {
    return BY_EVENT.values().stream().anyMatch(k -> k.type().equals(type));
  }
}
