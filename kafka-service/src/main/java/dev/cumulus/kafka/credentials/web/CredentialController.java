package dev.cumulus.kafka.credentials.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.credentials.application.CredentialService;
import dev.cumulus.kafka.credentials.domain.Credential;
import dev.cumulus.kafka.credentials.domain.KafkaAccess;
import dev.cumulus.kafka.topics.application.KafkaClients;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.instance.InstanceAccess;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Kafka credentials of an instance (beyond the seed): SASL/SCRAM-SHA-512 users for any Kafka client
 * on the cluster's tenant listener.
 */
@RestController
@RequestMapping("/api/kafka/{tenantId}/{serviceId}/credentials")
public class CredentialController {

  private final InstanceAccess access;
  private final CredentialService credentials;
  private final String tenantBootstrapServers;

  public CredentialController(
      InstanceAccess access,
      CredentialService credentials,
      KafkaServiceProperties properties,
      KafkaClients clients) {
    this.access = access;
    this.credentials = credentials;
    this.tenantBootstrapServers =
        properties.tenantBootstrapServers().isBlank()
            ? clients.bootstrapServers()
            : properties.tenantBootstrapServers();
  }

  public record CreateCredentialRequest(String description) {}

  /** A credential; {@code password} only in the answer that set it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CredentialView(
      String username,
      String password,
      String mechanism,
      String securityProtocol,
      String bootstrapServers,
      String topicPrefix,
      String groupPrefix,
      String eventTopic,
      String description,
      Instant createdAt,
      Instant rotatedAt) {}

  public record CredentialList(List<CredentialView> credentials, int count) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<CredentialView> create(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @RequestBody(required = false) CreateCredentialRequest body) {
    return names(tenantId, serviceId)
        .flatMap(
            names ->
                credentials
                    .create(names, body == null ? null : body.description())
                    .map(issued -> view(names, issued.credential(), issued.password())));
  }

  @GetMapping
  Mono<CredentialList> list(@PathVariable String tenantId, @PathVariable String serviceId) {
    return names(tenantId, serviceId)
        .flatMap(names -> credentials.list(names).map(c -> view(names, c, null)).collectList())
        .map(list -> new CredentialList(list, list.size()));
  }

  @PostMapping("/{username}/rotate")
  Mono<CredentialView> rotate(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String username) {
    return names(tenantId, serviceId)
        .flatMap(
            names ->
                credentials
                    .rotate(names, username)
                    .map(issued -> view(names, issued.credential(), issued.password())));
  }

  @DeleteMapping("/{username}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> revoke(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String username) {
    return names(tenantId, serviceId).flatMap(names -> credentials.revoke(names, username));
  }

  private Mono<TopicNames> names(String tenantId, String serviceId) {
    return access
        .require(tenantId, serviceId)
        .map(instance -> new TopicNames(instance.tenantId(), instance.serviceId()));
  }

  private CredentialView view(TopicNames names, Credential c, String password) {
    return new CredentialView(
        c.username(),
        password,
        KafkaAccess.MECHANISM,
        "SASL_PLAINTEXT",
        tenantBootstrapServers,
        names.prefix(),
        names.prefix(),
        TopicNames.eventTopic(names.tenantId()),
        c.description(),
        c.createdAt(),
        c.rotatedAt());
  }
}
