package dev.cumulus.auth.instance.application;

import dev.cumulus.auth.apikey.application.ApiKeyService;
import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.instance.domain.ServiceInstance;
import dev.cumulus.auth.instance.domain.ServiceType;
import dev.cumulus.auth.instance.persistence.ServiceInstanceRepository;
import dev.cumulus.auth.quota.application.QuotaService;
import dev.cumulus.auth.s3credential.application.S3CredentialService;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.events.Outbox;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The DockSaaS control plane: tenants create and delete service instances. Each change emits its
 * seed-000 webhook payload ({@code service.created} / {@code service.deleted}) through the outbox,
 * in the same transaction, on topic {@value #TOPIC} keyed by the instance id. The services that
 * host instances learn of them from these events.
 */
@Service
public class ServiceInstanceService {

  public static final String TOPIC = "cumulus.service-instances";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final ServiceInstanceRepository instances;
  private final ApiKeyService apiKeys;
  private final S3CredentialService s3Credentials;
  private final Outbox outbox;
  private final AuditLog audit;
  private final QuotaService quotas;
  private final TransactionalOperator tx;

  public ServiceInstanceService(
      ServiceInstanceRepository instances,
      ApiKeyService apiKeys,
      S3CredentialService s3Credentials,
      Outbox outbox,
      AuditLog audit,
      QuotaService quotas,
      TransactionalOperator tx) {
    this.quotas = quotas;
    this.instances = instances;
    this.apiKeys = apiKeys;
    this.s3Credentials = s3Credentials;
    this.outbox = outbox;
    this.audit = audit;
    this.tx = tx;
  }

  /**
   * A new instance, its API key and, unless it is a kafka instance, its first access key pair
   * (otherwise null); secrets are shown once.
   */
  public record Created(
      ServiceInstance instance, String apiKey, S3CredentialService.IssuedPair s3Credentials) {}

  public Mono<Created> create(
      Caller caller, String serviceName, String serviceType, Map<String, Object> configuration) {
    caller.requireTenantAdmin();
    String name = serviceName == null ? "" : serviceName.trim();
    if (!NAME.matcher(name).matches()) {
      throw UserRules.invalid(
          "serviceName", "must be 1-63 letters, digits, dots, hyphens or underscores");
    }
    ServiceType type =
        ServiceType.parse(serviceType)
            .orElseThrow(
                () ->
                    UserRules.invalid(
                        "serviceType",
                        "must be one of s3storage, rdsdatabase, nosqldatabase, queue, function,"
                            + " kafka"));
    ServiceInstance draft =
        new ServiceInstance(
            UUID.randomUUID(),
            caller.tenantId(),
            name,
            type,
            configuration == null ? Map.of() : configuration,
            ServiceInstance.PROVISIONING,
            caller.actor().username(),
            null);
    Mono<Created> work =
        quotas
            .requireRoomFor(caller.tenantId(), QuotaService.Counted.INSTANCES)
            .then(instances.insert(draft))
            .flatMap(
                saved ->
                    apiKeys
                        .createForInstance(
                            saved.tenantId(), saved.id(), saved.serviceName(), caller.actor())
                        .flatMap(
                            key ->
                                s3PairFor(saved, caller)
                                    .map(pair -> new Created(saved, key.secret(), pair))
                                    .defaultIfEmpty(new Created(saved, key.secret(), null)))
                        .flatMap(
                            created ->
                                event(saved, "created", ServiceInstance.PROVISIONING)
                                    .then(
                                        audit.record(
                                            saved.tenantId(),
                                            caller.actor(),
                                            AuditAction.CREATE,
                                            AuditLog.SERVICE_INSTANCE,
                                            saved.id().toString(),
                                            describe(saved)))
                                    .thenReturn(created)))
            .onErrorMap(
                SqlStates::isUniqueViolation,
                e -> ApiException.conflict("A service named " + name + " already exists"));
    return tx.transactional(work);
  }

  public Flux<ServiceInstance> list(Caller caller, String type) {
    ServiceType filter = null;
    if (type != null && !type.isBlank()) {
      filter =
          ServiceType.parse(type)
              .orElseThrow(() -> ApiException.badRequest("Unknown service type " + type));
    }
    return instances.findByTenant(caller.tenantId(), filter);
  }

  public Mono<ServiceInstance> get(Caller caller, UUID id) {
    return instances
        .findInTenant(caller.tenantId(), id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("No service instance " + id)));
  }

  /**
   * Deletes the instance and revokes its API keys and S3 access keys; emits {@code
   * service.deleted}.
   */
  public Mono<Void> delete(Caller caller, UUID id) {
    caller.requireTenantAdmin();
    Mono<Void> work =
        get(caller, id)
            .flatMap(
                instance ->
                    instances
                        .delete(instance.tenantId(), id)
                        .then(apiKeys.revokeForInstance(id))
                        .then(
                            s3Credentials.revokeFor(
                                ServiceInstanceDirectory.ref(instance), caller.actor()))
                        .then(event(instance, "deleted", "deleted"))
                        .then(
                            audit.record(
                                instance.tenantId(),
                                caller.actor(),
                                AuditAction.DELETE,
                                AuditLog.SERVICE_INSTANCE,
                                id.toString(),
                                describe(instance))));
    return tx.transactional(work);
  }

  /**
   * What the hosting service reported ({@code instance.ready} / {@code instance.failed}): a
   * provisioning instance becomes running or failed. A report for a deleted instance changes
   * nothing.
   */
  public Mono<Void> reported(UUID id, boolean ready) {
    return instances
        .updateStatus(
            id,
            ServiceInstance.PROVISIONING,
            ready ? ServiceInstance.RUNNING : ServiceInstance.FAILED)
        .then();
  }

  /**
   * An instance that speaks AWS protocols gets its first access key pair with it (the response's
   * {@code s3Credentials}, named after the first protocol that had them); kafka gets none.
   */
  private Mono<S3CredentialService.IssuedPair> s3PairFor(ServiceInstance instance, Caller caller) {
    return instance.serviceType().speaksAwsProtocols()
        ? s3Credentials.createFor(ServiceInstanceDirectory.ref(instance), caller.actor())
        : Mono.empty();
  }

  /** Seed 000 "Webhooks" payload, as the CloudEvent's data. */
  private Mono<UUID> event(ServiceInstance instance, String verb, String status) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", instance.serviceName());
    data.put("serviceType", instance.serviceType().displayName());
    data.put("status", status);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "service." + verb);
    payload.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    payload.put("tenantId", instance.tenantId());
    payload.put("serviceId", instance.id().toString());
    payload.put("data", data);
    return outbox.appendForTenant(
        instance.tenantId(), TOPIC, instance.id().toString(), "service", verb, payload);
  }

  private static Map<String, Object> describe(ServiceInstance instance) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("serviceName", instance.serviceName());
    fields.put("serviceType", instance.serviceType().displayName());
    return fields;
  }
}
