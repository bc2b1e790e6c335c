package dev.cumulus.integration.notification.application;

import dev.cumulus.integration.common.EventNames;
import dev.cumulus.integration.common.IntegrationEvents;
import dev.cumulus.integration.mail.application.MailQueue;
import dev.cumulus.integration.notification.domain.Notification;
import dev.cumulus.integration.notification.domain.NotificationKind;
import dev.cumulus.integration.notification.domain.NotificationMessages;
import dev.cumulus.integration.notification.domain.Preferences;
import dev.cumulus.integration.notification.persistence.NotificationRepository;
import dev.cumulus.integration.notification.persistence.NotificationRepository.Filter;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.events.ReceivedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Notifications: made from platform events (in the consumer's inbox transaction, with their e-mails
 * queued and a {@code notification.created} event for the updater's WebSocket in the same
 * transaction), listed and marked read per user.
 */
@Service
public class NotificationService {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final NotificationRepository notifications;
  private final MailQueue mails;
  private final Outbox outbox;
  private final ObjectMapper json;

  public NotificationService(
      NotificationRepository notifications, MailQueue mails, Outbox outbox, ObjectMapper json) {
    this.notifications = notifications;
    this.mails = mails;
    this.outbox = outbox;
    this.json = json;
  }

  /** The notification an event makes, if its kind is one; empty otherwise. */
  public Mono<Long> fromEvent(ReceivedEvent event) {
    if (event.tenantId() == null) {
      return Mono.empty();
    }
    NotificationKind kind =
        EventNames.of(event.type()).flatMap(NotificationKind::forEvent).orElse(null);
    if (kind == null) {
      return Mono.empty();
    }
    Map<String, Object> data = data(event.data());
    String message = NotificationMessages.of(kind.type(), data);
    return notifications
        .insert(
            event.tenantId(),
            event.id(),
            kind.type(),
            kind.title(),
            message,
            kind.level(),
            json.writeValueAsString(data))
        .flatMap(id -> announce(event.tenantId(), id, kind, message, data).thenReturn(id))
        .flatMap(id -> mailRecipients(event.tenantId(), id, kind, message).thenReturn(id));
  }

  private Mono<Void> announce(
      String tenantId, long id, NotificationKind kind, String message, Map<String, Object> data) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("type", kind.type());
    payload.put("title", kind.title());
    payload.put("message", message);
    payload.put("level", kind.level());
    payload.put("data", data);
    return outbox
        .appendForTenant(
            tenantId,
            IntegrationEvents.TOPIC,
            Long.toString(id),
            "notification",
            "created",
            payload)
        .then();
  }

  private Mono<Void> mailRecipients(
      String tenantId, long id, NotificationKind kind, String message) {
    return notifications
        .emailRecipients(tenantId)
        .filter(p -> p.wants(kind.type()))
        .concatMap(
            p ->
                mails.notificationMail(
                    tenantId, tenantId, id, p.email(), kind.title(), message, kind.level()))
        .then();
  }

  /** One page of the user's notifications, with the total. */
  public record Page(List<Notification> items, long total) {}

  public Mono<Page> list(String tenantId, String userId, Filter filter, int page, int limit) {
    if (page < 1) {
      return Mono.error(ApiException.badRequest("page must be 1 or more"));
    }
    if (limit < 1 || limit > 100) {
      return Mono.error(ApiException.badRequest("limit must be between 1 and 100"));
    }
    return notifications
        .list(tenantId, userId, filter, (page - 1) * limit, limit)
        .collectList()
        .zipWith(notifications.count(tenantId, userId, filter))
        .map(both -> new Page(both.getT1(), both.getT2()));
  }

  public Mono<Void> markRead(String tenantId, String userId, long id) {
    return notifications
        .markRead(tenantId, id, userId)
        .flatMap(
            found ->
                found
                    ? Mono.<Void>empty()
                    : Mono.error(ApiException.notFound("Notification not found")));
  }

  public Mono<Preferences> preferences(String tenantId, String userId, String defaultEmail) {
    return notifications
        .preferences(tenantId, userId)
        .defaultIfEmpty(
            new Preferences(defaultEmail == null ? "" : defaultEmail, false, List.of()));
  }

  public Mono<Preferences> savePreferences(String tenantId, String userId, Preferences p) {
    if (p.emailEnabled() && (p.email() == null || !p.email().matches("[^@\\s]+@[^@\\s]+"))) {
      return Mono.error(
          ApiException.badRequest("A valid email address is needed to receive e-mails"));
    }
    String unknown =
        p.emailTypes().stream()
            .filter(t -> !NotificationKind.isKnownType(t))
            .findFirst()
            .orElse(null);
    if (unknown != null) {
      return Mono.error(ApiException.badRequest("Unknown notification type: " + unknown));
    }
    return notifications.savePreferences(tenantId, userId, p).thenReturn(p);
  }

  /** The event's data; seed 000's envelope ({@code eventType}, {@code data}) is unwrapped. */
  private Map<String, Object> data(String raw) {
    if (raw == null || raw.isBlank()) {
      return Map.of();
    }
    Map<String, Object> data = json.readValue(raw, MAP);
    if (data.get("eventType") != null && data.get("data") instanceof Map<?, ?> inner) {
      Map<String, Object> merged = new LinkedHashMap<>();
      inner.forEach((k, v) -> merged.put(String.valueOf(k), v));
      if (data.get("serviceId") != null) {
        merged.putIfAbsent("serviceId", data.get("serviceId"));
      }
      return merged;
    }
    return data;
  }
}
