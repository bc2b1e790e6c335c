package dev.cumulus.platform.web;

import dev.cumulus.platform.context.CumulusContext;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.events.Outbox;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A minimal service exercising the platform's web behaviour in tests. */
@SpringBootApplication
public class EnvelopeTestApplication {

  /** Events the Spring Cloud Stream consumer handled, once each, with the tenant it saw. */
  static final Map<String, String> HANDLED = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The consumer pattern services follow: a Spring Cloud Stream function on the listener thread
   * (not an event loop, so waiting for the handler is fine and the offset is committed only after
   * it), made idempotent by the inbox.
   */
  @org.springframework.context.annotation.Bean
  @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("test.consumer.enabled")
  java.util.function.Consumer<org.springframework.messaging.Message<byte[]>> thingEvents(
      dev.cumulus.platform.events.Inbox inbox) {
    return message -> {
      var event =
          dev.cumulus.platform.events.CloudEventHeaders.read(
              message.getHeaders(), message.getPayload());
      inbox
          .processOnce(
              "thing-events",
              event,
              e ->
                  CumulusContext.tenantId()
                      .doOnNext(t -> HANDLED.merge(e.id(), t.orElse(""), (a, b) -> a + "," + b))
                      .then())
          .block(java.time.Duration.ofSeconds(10));
    };
  }

  static final String[] THINGS = {
    "/api/s3storage/t1/s1/things",
    "/v1/things",
    "/api/containers/things",
    "/api/tenants/things/",
    "/api/orders/things"
  };

  record Thing(@NotBlank String name, @Min(1) int size) {}

  /** Seed-style snake_case JSON names on Java fields. */
  record Signup(
      @com.fasterxml.jackson.annotation.JsonProperty("user_id") @NotBlank String userId,
      @com.fasterxml.jackson.annotation.JsonProperty("display_name") String displayName) {}

  @RestController
  static class Signups {

    @PostMapping("/api/auth/signups")
    @ResponseStatus(HttpStatus.CREATED)
    Signup create(@Valid @RequestBody Signup signup) {
      return signup;
    }
  }

  @RestController
  static class Things {

    @PostMapping({
      "/api/s3storage/t1/s1/things",
      "/v1/things",
      "/api/containers/things",
      "/api/tenants/things/",
      "/api/orders/things"
    })
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Thing> create(@Valid @RequestBody Thing thing) {
      return Mono.just(thing);
    }

    @GetMapping({
      "/api/s3storage/t1/s1/things/missing",
      "/v1/things/missing",
      "/api/containers/things/missing",
      "/api/tenants/things/missing/",
      "/api/orders/things/missing"
    })
    Mono<Thing> missing() {
      return Mono.error(ApiException.notFound("thing 'missing' not found"));
    }

    @GetMapping({
      "/api/s3storage/t1/s1/things/boom",
      "/v1/things/boom",
      "/api/containers/things/boom",
      "/api/tenants/things/boom/",
      "/api/orders/things/boom"
    })
    Mono<Thing> boom() {
      return Mono.error(new IllegalStateException("secret internal detail"));
    }
  }

  /** Context propagation probes: MDC across threads, outgoing WebClient headers, outbox. */
  @RestController
  static class ContextProbe {

    private final WebClient.Builder webClients;
    private final Outbox outbox;
    private final TransactionalOperator tx;

    ContextProbe(WebClient.Builder webClients, Outbox outbox, TransactionalOperator tx) {
      this.webClients = webClients;
      this.outbox = outbox;
      this.tx = tx;
    }

    // Context propagation is "limited": Reactor restores the MDC in handle/tap operators, which is
    // where code that wants the ids on a log line writes it.
    @GetMapping("/ctx/mdc")
    Mono<Map<String, String>> mdc(@RequestParam String tenant) {
      return Mono.just(tenant)
          .publishOn(Schedulers.boundedElastic())
          .<Map<String, String>>handle((t, sink) -> sink.next(mdcSeen()))
          .contextWrite(c -> CumulusContext.withTenant(c, tenant));
    }

    private static Map<String, String> mdcSeen() {
      Map<String, String> seen = new HashMap<>();
      seen.put("thread", Thread.currentThread().getName());
      seen.put("requestId", MDC.get(CumulusContext.REQUEST_ID));
      seen.put("tenantId", MDC.get(CumulusContext.TENANT_ID));
      return seen;
    }

    @GetMapping("/ctx/whoami")
    Mono<Map<String, String>> whoami() {
      return dev.cumulus.platform.security.CumulusPrincipal.current()
          .publishOn(Schedulers.boundedElastic())
          .handle(
              (principal, sink) ->
                  sink.next(
                      Map.of(
                          "principalTenant", principal.tenantId(),
                          "mdcTenant", String.valueOf(MDC.get(CumulusContext.TENANT_ID)))));
    }

    @GetMapping("/ctx/echo")
    Map<String, String> echo(
        @RequestHeader(CumulusContext.REQUEST_ID_HEADER) String requestId,
        @RequestHeader(value = CumulusContext.TENANT_ID_HEADER, required = false) String tenant) {
      return Map.of("requestId", requestId, "tenantId", tenant == null ? "" : tenant);
    }

    /** Under cumulus.security.self-authenticated-paths: a service would check the caller here. */
    @GetMapping({"/ctx/self/probe", "/ctx/selfish"})
    Map<String, String> self() {
      return Map.of("reached", "yes");
    }

    @GetMapping("/ctx/call")
    Mono<Map<String, String>> call(@RequestParam int port, @RequestParam String tenant) {
      return webClients
          .build()
          .get()
          .uri("http://127.0.0.1:" + port + "/ctx/echo")
          .retrieve()
          .bodyToMono(
              new org.springframework.core.ParameterizedTypeReference<Map<String, String>>() {})
          .contextWrite(c -> CumulusContext.withTenant(c, tenant));
    }

    @PostMapping("/ctx/event")
    Mono<Map<String, String>> event(@RequestParam String topic, @RequestParam String tenant) {
      String aggregate = UUID.randomUUID().toString();
      return outbox
          .append(topic, aggregate, "thing", "created", Map.of("id", aggregate))
          .as(tx::transactional)
          .map(id -> Map.of("eventId", id.toString()))
          .contextWrite(c -> CumulusContext.withTenant(c, tenant));
    }
  }
}
