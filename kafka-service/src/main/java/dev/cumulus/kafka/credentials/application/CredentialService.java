package dev.cumulus.kafka.credentials.application;

import dev.cumulus.kafka.credentials.domain.Credential;
import dev.cumulus.kafka.credentials.domain.KafkaAccess;
import dev.cumulus.kafka.credentials.persistence.CredentialRepository;
import dev.cumulus.kafka.events.application.TenantEventTopics;
import dev.cumulus.kafka.topics.application.KafkaClients;
import dev.cumulus.kafka.topics.application.KafkaFailures;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kafka credentials of an instance: a SASL/SCRAM-SHA-512 user created with the Admin API, with ACLs
 * on the instance's prefix and the tenant's event topic only. Rotating sets a new password;
 * revoking deletes the user and its ACLs. Each change is recorded, with its event, in one
 * transaction that commits only after the cluster applied it.
 */
@Service
public class CredentialService {

  public static final String TOPIC = "cumulus.kafka";
  private static final int SCRAM_ITERATIONS = 8192;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Admin admin;
  private final CredentialRepository credentials;
  private final TenantEventTopics eventTopics;
  private final Outbox outbox;
  private final TransactionalOperator tx;

  public CredentialService(
      KafkaClients clients,
      CredentialRepository credentials,
      TenantEventTopics eventTopics,
      Outbox outbox,
      TransactionalOperator tx) {
    this.admin = clients.admin();
    this.credentials = credentials;
    this.eventTopics = eventTopics;
    this.outbox = outbox;
    this.tx = tx;
  }

  /** A credential with its password, shown once. */
  public record Issued(Credential credential, String password) {}

  public Mono<Issued> create(TopicNames names, String description) {
    if (description != null && description.length() > 200) {
      throw KafkaErrors.invalidParameter("description", "at most 200 characters");
    }
    if (description != null && description.indexOf('\u0000') >= 0) {
      // PostgreSQL's text cannot hold it: the INSERT failed as a 500.
      throw KafkaErrors.invalidParameter("description", "must not contain NUL characters");
    }
    String username = KafkaAccess.newUsername(randomBytes(10));
    String password = password();
    Mono<Issued> work =
        credentials
            .insert(username, names.tenantId(), names.serviceId(), description)
            .flatMap(
                credential ->
                    event(credential, "created")
                        .then(eventTopics.ensure(names.tenantId()))
                        .then(setPassword(username, password))
                        .then(kafka(admin.createAcls(KafkaAccess.acls(username, names)).all()))
                        .thenReturn(new Issued(credential, password)));
    // The user and its ACLs go if the transaction does not commit.
    return tx.transactional(work)
        .onErrorResume(e -> removeFromCluster(username).then(Mono.error(e)))
        .onErrorMap(CredentialService::translate);
  }

  public Flux<Credential> list(TopicNames names) {
    return credentials.byService(names.serviceId());
  }

  public Mono<Issued> rotate(TopicNames names, String username) {
    String password = password();
    return tx.transactional(
            require(names, username)
                .flatMap(found -> credentials.rotated(username))
                .flatMap(
                    credential ->
                        event(credential, "rotated")
                            .then(setPassword(username, password))
                            .thenReturn(new Issued(credential, password))))
        .onErrorMap(CredentialService::translate);
  }

  public Mono<Void> revoke(TopicNames names, String username) {
    return tx.transactional(
            require(names, username)
                .flatMap(
                    credential ->
                        credentials
                            .delete(username)
                            .then(event(credential, "revoked"))
                            .then(removeFromCluster(username))))
        .onErrorMap(CredentialService::translate);
  }

  /** Revokes every credential of a deleted instance. */
  public Mono<Void> revokeAll(TopicNames names) {
    return credentials
        .byService(names.serviceId())
        .concatMap(
            c ->
                credentials
                    .delete(c.username())
                    .then(event(c, "revoked"))
                    .then(removeFromCluster(c.username())))
        .then();
  }

  private Mono<Credential> require(TopicNames names, String username) {
    // A name the API never gives (a NUL in it, say) is not looked up.
    Mono<Credential> found =
        KafkaAccess.isUsername(username)
            ? credentials.find(names.serviceId(), username)
            : Mono.empty();
    return found.switchIfEmpty(
        Mono.error(
            () ->
                KafkaErrors.of(
                    ErrorKind.NOT_FOUND,
                    "CredentialNotFound",
                    "No Kafka credential " + username + " in this instance")));
  }

  private Mono<Void> setPassword(String username, String password) {
    return kafka(
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        username,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                        password)))
            .all());
  }

  /** Deletes the user's ACLs and SCRAM credential; what is already gone is fine. */
  private Mono<Void> removeFromCluster(String username) {
    AclBindingFilter filter =
        new AclBindingFilter(
            ResourcePatternFilter.ANY,
            new AccessControlEntryFilter(
                KafkaAccess.principal(username), null, AclOperation.ANY, AclPermissionType.ANY));
    Mono<Void> acls = kafka(admin.deleteAcls(List.of(filter)).all()).then();
    Mono<Void> user =
        kafka(
                admin
                    .alterUserScramCredentials(
                        List.of(
                            new UserScramCredentialDeletion(
                                username, ScramMechanism.SCRAM_SHA_512)))
                    .all())
            .onErrorResume(
                e -> KafkaFailures.unwrap(e) instanceof ResourceNotFoundException,
                e -> Mono.empty());
    return acls.onErrorResume(
            e -> KafkaFailures.unwrap(e) instanceof SecurityDisabledException, e -> Mono.empty())
        .then(user);
  }

  private Mono<Void> event(Credential credential, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("username", credential.username());
    data.put("serviceId", credential.serviceId());
    return outbox
        .appendForTenant(
            credential.tenantId(), TOPIC, credential.username(), "credential", verb, data)
        .then();
  }

  private static Throwable translate(Throwable e) {
    Throwable cause = KafkaFailures.unwrap(e);
    if (cause instanceof SecurityDisabledException
        || cause instanceof UnsupportedVersionException) {
      return KafkaErrors.unavailable(
          "This Kafka cluster has no SASL/SCRAM users or no authorizer; credentials need a"
              + " cluster with a SASL listener and ACLs (see docs/kafka.md)");
    }
    return cause instanceof RuntimeException ? cause : e;
  }

  private static String password() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static <T> Mono<T> kafka(KafkaFuture<T> future) {
    return Mono.fromCompletionStage(future.toCompletionStage());
  }
}
