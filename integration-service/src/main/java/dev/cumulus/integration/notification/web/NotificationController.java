package dev.cumulus.integration.notification.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.integration.notification.application.NotificationService;
import dev.cumulus.integration.notification.domain.Notification;
import dev.cumulus.integration.notification.domain.Preferences;
import dev.cumulus.integration.notification.persistence.NotificationRepository.Filter;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Seed 002's notifications: list with filters and paging, mark read; e-mail preferences. */
@RestController
@RequestMapping("/api/notifications")
public class NotificationController {

  private final NotificationService notifications;
  private final ObjectMapper json;

  public NotificationController(NotificationService notifications, ObjectMapper json) {
    this.notifications = notifications;
    this.json = json;
  }

  @GetMapping
  public Mono<AutoUpdateResponse<Map<String, Object>>> list(
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) Boolean read,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String level) {
    return CumulusPrincipal.current()
        .flatMap(
            p ->
                notifications.list(
                    p.tenantId(), p.subject(), new Filter(read, type, level), page, limit))
        .flatMap(
            result -> {
              long pages = (result.total() + limit - 1) / limit;
              Map<String, Object> pagination = new LinkedHashMap<>();
              pagination.put("page", page);
              pagination.put("limit", limit);
              pagination.put("total", result.total());
              pagination.put("pages", pages);
              pagination.put("has_next", page < pages);
              pagination.put("has_prev", page > 1);
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("items", result.items().stream().map(this::view).toList());
              data.put("pagination", pagination);
              return AutoUpdateResponse.of("Notifications retrieved successfully", data);
            });
  }

  @PutMapping("/{id}/read")
  public Mono<AutoUpdateResponse<Object>> markRead(@PathVariable String id) {
    long notificationId;
    try {
      notificationId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Mono.error(ApiException.notFound("Notification not found"));
    }
    return CumulusPrincipal.current()
        .flatMap(p -> notifications.markRead(p.tenantId(), p.subject(), notificationId))
        .then(AutoUpdateResponse.of("Notification marked as read", null));
  }

  /** E-mail preferences: {@code email} address, {@code email_enabled}, {@code email_types}. */
  public record PreferencesBody(
      String email,
      @JsonProperty("email_enabled") Boolean emailEnabled,
      @JsonProperty("email_types") List<String> emailTypes) {

    static PreferencesBody of(Preferences p) {
      return new PreferencesBody(p.email(), p.emailEnabled(), p.emailTypes());
    }
  }

  @GetMapping("/preferences")
  public Mono<AutoUpdateResponse<PreferencesBody>> preferences() {
    return CumulusPrincipal.current()
        .flatMap(p -> notifications.preferences(p.tenantId(), p.subject(), p.email()))
        .flatMap(
            p ->
                AutoUpdateResponse.of("Preferences retrieved successfully", PreferencesBody.of(p)));
  }

  @PutMapping("/preferences")
  public Mono<AutoUpdateResponse<PreferencesBody>> savePreferences(
      @RequestBody PreferencesBody body) {
    return CumulusPrincipal.current()
        .flatMap(
            p ->
                notifications.savePreferences(
                    p.tenantId(),
                    p.subject(),
                    new Preferences(
                        body.email() == null ? p.email() : body.email(),
                        body.emailEnabled() == null || body.emailEnabled(),
                        body.emailTypes() == null ? List.of() : List.copyOf(body.emailTypes()))))
        .flatMap(
            p -> AutoUpdateResponse.of("Preferences updated successfully", PreferencesBody.of(p)));
  }

  private Map<String, Object> view(Notification n) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", n.id());
    item.put("type", n.type());
    item.put("title", n.title());
    item.put("message", n.message());
    item.put("level", n.level());
    item.put("read", n.read());
    item.put("created_at", n.createdAt().toString());
    item.put("data", json.readTree(n.data()));
    return item;
  }
}
