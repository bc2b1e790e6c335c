package dev.cumulus.integration.mail.web;

import dev.cumulus.integration.mail.config.MailProperties;
import dev.cumulus.integration.mail.persistence.FakeMailRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A local stand-in for SendGrid's {@code POST /v3/mail/send}, served while no SendGrid key is
 * configured: the same bearer-key check, the same required fields and error body ({@code
 * {"errors":[{message,field,help}]}}), 202 with {@code X-Message-Id}. Accepted mails land in the
 * inbox ({@code GET /api/integrations/mail/inbox/}), filed under the {@code tenant_id} custom
 * argument. The path is outside the JWT filter (SendGrid clients send their API key); this
 * controller checks the key itself.
 */
@RestController
public class SendGridFakeController {

  private final MailProperties properties;
  private final FakeMailRepository inbox;
  private final ObjectMapper json;

  public SendGridFakeController(
      MailProperties properties, FakeMailRepository inbox, ObjectMapper json) {
    this.properties = properties;
    this.inbox = inbox;
    this.json = json;
  }

  @PostMapping("/v3/mail/send")
  public Mono<ResponseEntity<Object>> send(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody(required = false) String body) {
    if (!properties.fake()) {
      return Mono.just(ResponseEntity.notFound().build());
    }
    if (!authorized(authorization)) {
      return Mono.just(
          error(
              HttpStatus.UNAUTHORIZED,
              "The provided authorization grant is invalid, expired, or revoked",
              null));
    }
    JsonNode mail;
    try {
      mail = body == null ? null : json.readTree(body);
    } catch (RuntimeException e) {
      return Mono.just(error(HttpStatus.BAD_REQUEST, "Bad Request", null));
    }
    if (mail == null || !mail.isObject()) {
      return Mono.just(error(HttpStatus.BAD_REQUEST, "Bad Request", null));
    }
    List<String> to = new ArrayList<>();
    mail.path("personalizations")
        .forEach(p -> p.path("to").forEach(t -> to.add(t.path("email").asString())));
    if (to.isEmpty() || to.stream().anyMatch(a -> !a.contains("@"))) {
      return Mono.just(
          error(
              HttpStatus.BAD_REQUEST,
              "The personalizations field is required and must have at least one personalization.",
              "personalizations"));
    }
    String from = mail.path("from").path("email").asString("");
    if (!from.contains("@")) {
      return Mono.just(
          error(
              HttpStatus.BAD_REQUEST,
              "The from object must be provided for every email send.",
              "from"));
    }
    String subject = mail.path("subject").asString("");
    if (subject.isBlank() && mail.path("template_id").isMissingNode()) {
      return Mono.just(error(HttpStatus.BAD_REQUEST, "The subject is required.", "subject"));
    }
    if (mail.path("content").isEmpty() && mail.path("template_id").isMissingNode()) {
      return Mono.just(
          error(
              HttpStatus.BAD_REQUEST,
              "Unless a valid template_id is provided, the content parameter is required.",
              "content"));
    }
    String tenant = mail.path("custom_args").path("tenant_id").asString(null);
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    return inbox
        .insert(id, tenant, from, to, subject, body)
        .thenReturn(ResponseEntity.accepted().header("X-Message-Id", id).build());
  }

  private boolean authorized(String authorization) {
    String expected = "Bearer " + properties.fakeKey();
    return authorization != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8),
            authorization.getBytes(StandardCharsets.UTF_8));
  }

  private static ResponseEntity<Object> error(HttpStatus status, String message, String field) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("message", message);
    entry.put("field", field);
    entry.put("help", null);
    return ResponseEntity.status(status).body(Map.of("errors", List.of(entry)));
  }
}
