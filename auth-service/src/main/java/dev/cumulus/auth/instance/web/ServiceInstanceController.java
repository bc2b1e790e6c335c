package dev.cumulus.auth.instance.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.instance.application.ServiceInstanceService;
import dev.cumulus.auth.instance.domain.ServiceInstance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Seed 000 control plane: a tenant's service instances (DockSaaS envelope, camelCase). */
@RestController
@RequestMapping("/api/services")
@Tag(name = "Service instances (seed 000)", description = "Create, list, get and delete")
public class ServiceInstanceController {

  private static final String DOMAIN = "X-Tenant-Domain";

  private final ServiceInstanceService instances;
  private final CallerResolver callers;

  public ServiceInstanceController(ServiceInstanceService instances, CallerResolver callers) {
    this.instances = instances;
    this.callers = callers;
  }

  public record CreateServiceRequest(
      @NotBlank String serviceName,
      @NotBlank String serviceType,
      Map<String, Object> configuration) {}

  public record InstanceView(
      UUID id,
      String serviceName,
      String serviceType,
      String tenantId,
      String status,
      String endpoint,
      Map<String, Object> configuration,
      Instant createdAt) {
    static InstanceView of(ServiceInstance i) {
      return new InstanceView(
          i.id(),
          i.serviceName(),
          i.serviceType().displayName(),
          i.tenantId(),
          i.status(),
          i.endpoint(),
          i.configuration(),
          i.createdAt());
    }
  }

  /**
   * The created instance with its API key and, for s3storage only, its S3 access key pair: secrets
   * shown this once.
   */
  public record CreatedView(
      UUID id,
      String serviceName,
      String serviceType,
      String tenantId,
      String status,
      String endpoint,
      String apiKey,
      Instant createdAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) S3KeyPairView s3Credentials) {}

  public record S3KeyPairView(String accessKeyId, String secretAccessKey) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Create a service instance (tenant admin)",
      description =
          "serviceType: s3storage, rdsdatabase, nosqldatabase, queue, function or kafka (any"
              + " case). The response carries the instance's API key and, for s3storage, an S3"
              + " access key pair (s3Credentials), shown only here.")
  public Mono<CreatedView> create(
      @Valid @RequestBody CreateServiceRequest request,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(
            caller ->
                instances.create(
                    caller, request.serviceName(), request.serviceType(), request.configuration()))
        .map(
            created -> {
              ServiceInstance i = created.instance();
              S3KeyPairView s3 =
                  created.s3Credentials() == null
                      ? null
                      : new S3KeyPairView(
                          created.s3Credentials().credential().accessKeyId(),
                          created.s3Credentials().secretAccessKey());
              return new CreatedView(
                  i.id(),
                  i.serviceName(),
                  i.serviceType().displayName(),
                  i.tenantId(),
                  i.status(),
                  i.endpoint(),
                  created.apiKey(),
                  i.createdAt(),
                  s3);
            });
  }

  @GetMapping
  @Operation(summary = "The tenant's service instances, optionally ?type=s3storage")
  public Flux<InstanceView> list(
      @RequestParam(required = false) String type,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMapMany(caller -> instances.list(caller, type))
        .map(InstanceView::of);
  }

  @GetMapping("/{serviceId}")
  @Operation(summary = "One service instance")
  public Mono<InstanceView> get(
      @PathVariable UUID serviceId,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> instances.get(caller, serviceId))
        .map(InstanceView::of);
  }

  @DeleteMapping("/{serviceId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Delete a service instance (tenant admin); its API keys and S3 keys are revoked")
  public Mono<Void> delete(
      @PathVariable UUID serviceId,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers.resolve(domain).flatMap(caller -> instances.delete(caller, serviceId));
  }
}
