package dev.cumulus.auth.s3credential.application;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.common.application.InstanceDirectory;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.common.domain.InstanceRef;
import dev.cumulus.auth.quota.application.QuotaService;
import dev.cumulus.auth.s3credential.domain.S3Credential;
import dev.cumulus.auth.s3credential.domain.S3KeyFormat;
import dev.cumulus.auth.s3credential.persistence.S3CredentialRepository;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.SigV4Keys;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * S3 access key pairs of s3storage instances (docs/identity.md "S3 access keys"): tenant
 * administrators create and revoke them; storage-service gets SigV4 signing keys derived from them,
 * never the secrets.
 */
@Service
public class S3CredentialService {

  private static final Pattern DATE = Pattern.compile("\\d{8}");
  private static final Pattern SCOPE_PART = Pattern.compile("[a-z0-9-]{1,32}");

  private final S3CredentialRepository credentials;
  private final InstanceDirectory instances;
  private final AuditLog audit;
  private final QuotaService quotas;
  private final TenantService tenants;
  private final TransactionalOperator tx;

  public S3CredentialService(
      S3CredentialRepository credentials,
      InstanceDirectory instances,
      AuditLog audit,
      QuotaService quotas,
      TenantService tenants,
      TransactionalOperator tx) {
    this.credentials = credentials;
    this.instances = instances;
    this.audit = audit;
    this.quotas = quotas;
    this.tenants = tenants;
    this.tx = tx;
  }

  /**
   * Whose budget an access key's requests spend: its tenant, on that tenant's plan; and its
   * instance, on which the gateway counts the key's traffic (docs/identity.md, "Instance metrics").
   */
  public record KeyOwner(String accessKeyId, String tenantId, String plan, String serviceId) {}

  /**
   * The tenant (plan, instance) of a usable access key, for the gateway's per-tenant AWS request
   * budget; empty when the key is unknown, revoked or its instance is gone. No secret is read.
   */
  public Mono<KeyOwner> owner(String accessKeyId) {
    if (accessKeyId == null || !S3KeyFormat.isAccessKeyId(accessKeyId)) {
      return Mono.empty();
    }
    return credentials
        .findUsableOwner(accessKeyId)
        .flatMap(
            usable ->
                tenants
                    .findById(usable.tenantId())
                    .map(
                        tenant ->
                            new KeyOwner(
                                accessKeyId,
                                tenant.id(),
                                tenant.plan().id(),
                                usable.serviceId().toString())));
  }

  /** A pair just created: the only moment its secret is shown. */
  public record IssuedPair(S3Credential credential, String secretAccessKey) {}

  /** The SigV4 signing key of one pair for one day, region and service. */
  public record DerivedKey(S3Credential credential, byte[] signingKey) {}

  public Mono<IssuedPair> create(Caller caller, UUID serviceId) {
    caller.requireTenantAdmin();
    return tx.transactional(
        s3Instance(caller, serviceId).flatMap(instance -> createFor(instance, caller.actor())));
  }

  /** The pair returned by {@code POST /api/services} for an s3storage instance; call in its tx. */
  public Mono<IssuedPair> createFor(InstanceRef instance, Actor actor) {
    S3KeyFormat.NewPair pair = S3KeyFormat.generate();
    S3Credential draft =
        new S3Credential(
            pair.accessKeyId(), instance.tenantId(), instance.id(), actor.username(), null, null);
    return quotas
        .requireRoomFor(instance.tenantId(), QuotaService.Counted.ACCESS_KEYS)
        .then(credentials.insert(draft, pair.secretAccessKey()))
        .flatMap(
            saved ->
                record(saved.tenantId(), actor, AuditAction.CREATE, saved.accessKeyId(), instance)
                    .thenReturn(new IssuedPair(saved, pair.secretAccessKey())));
  }

  /** The instance's pairs that are not revoked (never their secrets). */
  public Flux<S3Credential> list(Caller caller, UUID serviceId) {
    return s3Instance(caller, serviceId)
        .flatMapMany(instance -> credentials.findActiveByService(instance.tenantId(), serviceId));
  }

  public Mono<Void> revoke(Caller caller, UUID serviceId, String accessKeyId) {
    caller.requireTenantAdmin();
    Mono<Void> work =
        s3Instance(caller, serviceId)
            .flatMap(
                instance ->
                    credentials
                        .revoke(instance.tenantId(), serviceId, accessKeyId)
                        .filter(revoked -> revoked > 0)
                        .switchIfEmpty(
                            Mono.error(
                                () -> ApiException.notFound("No S3 credential " + accessKeyId)))
                        .then(
                            record(
                                instance.tenantId(),
                                caller.actor(),
                                AuditAction.REVOKE,
                                accessKeyId,
                                instance)));
    return tx.transactional(work);
  }

  /** Revokes every pair of an instance being deleted; call in that transaction. */
  public Mono<Void> revokeFor(InstanceRef instance, Actor actor) {
    return credentials
        .revokeForService(instance.id())
        .concatMap(id -> record(instance.tenantId(), actor, AuditAction.REVOKE, id, instance))
        .then();
  }

  /**
   * The SigV4 signing key for storage-service. 404 {@code InvalidAccessKeyId} (S3's code) when the
   * key is unknown or revoked or its instance is gone; 400 when the scope is malformed.
   */
  public Mono<DerivedKey> signingKey(
      String accessKeyId, String date, String region, String service) {
    if (accessKeyId == null || accessKeyId.isBlank()) {
      return Mono.error(UserRules.invalid("accessKeyId", "must not be blank"));
    }
    if (date == null || !DATE.matcher(date).matches()) {
      return Mono.error(UserRules.invalid("date", "must be 8 digits (yyyyMMdd)"));
    }
    if (region == null || !SCOPE_PART.matcher(region).matches()) {
      return Mono.error(UserRules.invalid("region", "must be 1-32 of a-z, 0-9 and -"));
    }
    if (service == null || !SCOPE_PART.matcher(service).matches()) {
      return Mono.error(UserRules.invalid("service", "must be 1-32 of a-z, 0-9 and -"));
    }
    Mono<S3CredentialRepository.WithSecret> usable =
        S3KeyFormat.isAccessKeyId(accessKeyId) ? credentials.findUsable(accessKeyId) : Mono.empty();
    return usable
        .map(
            found ->
                new DerivedKey(
                    found.credential(),
                    SigV4Keys.signingKey(found.secret(), date, region, service)))
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ApiException(
                        ErrorKind.NOT_FOUND,
                        "The access key id does not exist",
                        "InvalidAccessKeyId",
                        null,
                        Map.of(),
                        null)));
  }

  /**
   * The caller's tenant's instance, which must speak AWS protocols (every type but kafka: one
   * access key pair works for all of that instance's protocols); 404 hides other tenants'.
   */
  private Mono<InstanceRef> s3Instance(Caller caller, UUID serviceId) {
    return instances
        .findInTenant(caller.tenantId(), serviceId)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("No service instance " + serviceId)))
        .filter(InstanceRef::speaksAwsProtocols)
        .switchIfEmpty(
            Mono.error(
                () ->
                    ApiException.badRequest(
                        "Service instance "
                            + serviceId
                            + " speaks no AWS protocol: it has no access keys")));
  }

  /** Audits a write; the secret never appears in the trail. */
  private Mono<Void> record(
      String tenantId, Actor actor, AuditAction action, String accessKeyId, InstanceRef instance) {
    return audit.record(
        tenantId,
        actor,
        action,
        AuditLog.S3_CREDENTIAL,
        accessKeyId,
        Map.of("service_id", instance.id().toString(), "service_name", instance.serviceName()));
  }
}
