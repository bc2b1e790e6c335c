package dev.cumulus.integration.mail.web;

import dev.cumulus.integration.mail.persistence.FakeMailRepository;
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

/** The local inbox: the mails the SendGrid fake accepted for the caller's tenant, newest first. */
@RestController
public class InboxController {

  private final FakeMailRepository inbox;
  private final ObjectMapper json;

  public InboxController(FakeMailRepository inbox, ObjectMapper json) {
    this.inbox = inbox;
    this.json = json;
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
