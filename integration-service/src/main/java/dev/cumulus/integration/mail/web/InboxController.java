package dev.cumulus.integration.mail.web;

import dev.cumulus.integration.mail.persistence.FakeMailRepository;
import dev.cumulus.integration.mail.persistence.MailRepository;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The local inbox (the mails the SendGrid fake accepted for the caller's tenant, newest first) and
 * the tenant's dead letters.
 */
@RestController
public class InboxController {

  private final FakeMailRepository inbox;
  private final MailRepository mails;
  private final ObjectMapper json;

  public InboxController(FakeMailRepository inbox, MailRepository mails, ObjectMapper json) {
    this.inbox = inbox;
    this.mails = mails;
    this.json = json;
  }

  /**
   * The caller's tenant's dead letters: mails SendGrid refused for good (a permanent 4xx), with the
   * refusal, newest first. They are not retried; the notification itself stays in-app.
   */
  @GetMapping({"/api/integrations/mail/dead-letters/", "/api/integrations/mail/dead-letters"})
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> deadLetters(
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 500) {
      return Mono.error(ApiException.badRequest("limit must be between 1 and 500"));
    }
    return CumulusPrincipal.current()
        .flatMapMany(p -> mails.dead(p.tenantId(), limit))
        .map(
            dead -> {
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("id", dead.id().toString());
              view.put("notification_id", dead.notificationId());
              view.put("to", dead.to());
              view.put("subject", dead.subject());
              view.put("attempts", dead.attempts());
              view.put("error", dead.error());
              view.put("created_at", dead.createdAt().toString());
              view.put("dead_at", dead.deadAt().toString());
              return view;
            })
        .collectList()
        .map(MultiTenantResponse::results);
  }

  @GetMapping({"/api/integrations/mail/inbox/", "/api/integrations/mail/inbox"})
  public Mono<MultiTenantResponse<MultiTenantResponse.Results<Map<String, Object>>>> list(
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 500) {
      return Mono.error(ApiException.badRequest("limit must be between 1 and 500"));
    }
    return CumulusPrincipal.current()
        .flatMapMany(p -> inbox.forTenant(p.tenantId(), limit))
        .map(
            mail -> {
              JsonNode request = json.readTree(mail.request());
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("id", mail.id());
              view.put("from", mail.from());
              view.put("to", mail.to());
              view.put("subject", mail.subject());
              request
                  .path("content")
                  .forEach(
                      c ->
                          view.put(
                              c.path("type").asString().equals("text/html") ? "html" : "text",
                              c.path("value").asString()));
              view.put("received_at", mail.receivedAt().toString());
              return view;
            })
        .collectList()
        .map(MultiTenantResponse::results);
  }
}
