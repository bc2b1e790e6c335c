package dev.cumulus.platform.instance;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The service instances a service hosts: registered from {@code service.created}, provisioned by
 * the service's {@link InstanceProvisioner}, reported back to auth-service as {@code
 * instance.ready} or {@code instance.failed} (so an instance shows {@code running} only once its
 * service serves it), removed on {@code service.deleted}. Which types a service hosts is its {@code
 * instance-types} in the service registry.
 */
public class InstanceRegistry {

  /** auth-service's control-plane topic: service.created/deleted, instance.ready/failed. */
  public static final String TOPIC = "cumulus.service-instances";

  private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final InstanceRepository instances;
  private final InstanceProvisioner provisioner;
  private final Outbox outbox;
  private final Set<String> types;

  /**
   * Live instances by service id: every request needs its instance, and a database round trip per
   * request for a row that changes once in its life was the largest single cost of small S3
   * requests. Entries expire after {@code cacheTtl}, so an instance deleted through another node
   * stops being served within that time.
   */
  private final Cache<String, Instance> live;

  public InstanceRegistry(
      InstanceRepository instances,
      InstanceProvisioner provisioner,
      Outbox outbox,
      Set<String> types,
      Duration cacheTtl) {
    this.instances = instances;
    this.provisioner = provisioner;
    this.outbox = outbox;
    this.types = types;
    this.live = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
  }

  /** Whether this service hosts instances of {@code serviceType} (any spelling of the seed's). */
  public boolean hosts(String serviceType) {
    return serviceType != null
        && types.stream().anyMatch(type -> type.equalsIgnoreCase(serviceType));
  }

  /**
   * Registers and provisions an instance announced by {@code service.created}, then reports the
   * outcome. Idempotent: an instance already known is left as it is. Runs inside the caller's
   * transaction (the inbox's), so the row, the provisioner's writes and the report commit together.
   */
  public Mono<Void> created(String serviceId, String serviceType, String tenantId, String name) {
    if (!validId(serviceId) || tenantId == null || !hosts(serviceType)) {
      log.warn("Ignoring instance {} of type {} in tenant {}", serviceId, serviceType, tenantId);
      return Mono.empty();
    }
    String type = serviceType.toLowerCase(java.util.Locale.ROOT);
    return instances
        .insert(serviceId, type, tenantId, name == null ? serviceId : name)
        .filter(inserted -> inserted == 1)
        .flatMap(inserted -> instances.find(serviceId))
        .flatMap(this::provision);
  }

  private Mono<Void> provision(Instance instance) {
    return provisioner
        .provision(instance)
        .then(instances.setState(instance.serviceId(), Instance.READY, null))
        .then(report(instance, "ready", null))
        .onErrorResume(
            failure -> {
              log.warn("Instance {} failed to provision", instance.serviceId(), failure);
              String reason =
                  failure.getMessage() == null ? failure.toString() : failure.getMessage();
              return instances
                  .setState(instance.serviceId(), Instance.FAILED, reason)
                  .then(report(instance, "failed", reason));
            });
  }

  /**
   * Removes an instance announced by {@code service.deleted}: its data through the provisioner,
   * then its row is marked deleted. Runs inside the caller's transaction: if the provisioner fails,
   * nothing is marked and the event is delivered again.
   */
  public Mono<Void> deleted(String serviceId) {
    if (!validId(serviceId)) {
      return Mono.empty();
    }
    return instances
        .find(serviceId)
        .filter(instance -> !instance.deleted())
        .flatMap(
            instance ->
                instances
                    .markDeleted(serviceId)
                    .then(provisioner.deprovision(instance))
                    .doOnSuccess(
                        v -> {
                          live.invalidate(serviceId);
                          log.info("Instance {} removed with its data", serviceId);
                        }));
  }

  /**
   * The instance {@code serviceId} of {@code tenantId}, ready to serve; 404 when there is none
   * (including one of another tenant: its existence is not disclosed), 503 while it is still being
   * provisioned or after provisioning failed.
   */
  public Mono<Instance> require(String tenantId, String serviceId) {
    Instance cached = live.getIfPresent(serviceId);
    Mono<Instance> found =
        cached != null
            ? Mono.just(cached)
            : instances
                .find(serviceId)
                .filter(i -> !i.deleted())
                .doOnNext(
                    i -> {
                      if (i.ready()) {
                        live.put(serviceId, i);
                      }
                    });
    return found
        .filter(i -> i.tenantId().equals(tenantId))
        .switchIfEmpty(Mono.error(() -> notFound(tenantId, serviceId)))
        .flatMap(i -> i.ready() ? Mono.just(i) : Mono.error(notReady(i)));
  }

  private ApiException notFound(String tenantId, String serviceId) {
    String type = types.size() == 1 ? types.iterator().next() + " " : "";
    return new ApiException(
        ErrorKind.NOT_FOUND,
        "Service instance not found",
        "NoSuchService",
        "No " + type + "service '" + serviceId + "' in tenant '" + tenantId + "'",
        Map.of(),
        null);
  }

  private static ApiException notReady(Instance instance) {
    String why =
        Instance.FAILED.equals(instance.state())
            ? "could not be provisioned"
            : "is still being provisioned, try again shortly";
    return new ApiException(
        ErrorKind.SERVICE_UNAVAILABLE,
        "Service instance " + instance.serviceId() + " " + why,
        "ServiceNotReady",
        null,
        Map.of(),
        null);
  }

  /** {@code instance.ready} / {@code instance.failed}, in the shape of seed 000's webhooks. */
  private Mono<Void> report(Instance instance, String verb, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceName", instance.name());
    data.put("serviceType", instance.serviceType());
    if (reason != null) {
      data.put("reason", reason);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("eventType", "instance." + verb);
    payload.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    payload.put("tenantId", instance.tenantId());
    payload.put("serviceId", instance.serviceId());
    payload.put("data", data);
    return outbox
        .appendForTenant(
            instance.tenantId(), TOPIC, instance.serviceId(), "instance", verb, payload)
        .then();
  }

  private static boolean validId(String serviceId) {
    return serviceId != null && SERVICE_ID.matcher(serviceId).matches();
  }
}
