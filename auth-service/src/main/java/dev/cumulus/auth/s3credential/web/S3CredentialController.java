package dev.cumulus.auth.s3credential.web;

import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.s3credential.application.S3CredentialService;
import dev.cumulus.auth.s3credential.domain.S3Credential;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** S3 access key pairs of one s3storage instance (DockSaaS envelope, camelCase). */
@RestController
@RequestMapping("/api/services/{serviceId}/s3-credentials")
@Tag(name = "S3 access keys", description = "Create (secret shown once), list and revoke")
public class S3CredentialController {

  private static final String DOMAIN = "X-Tenant-Domain";

  private final S3CredentialService credentials;
  private final CallerResolver callers;

  public S3CredentialController(S3CredentialService credentials, CallerResolver callers) {
    this.credentials = credentials;
    this.callers = callers;
  }

  /** A pair as listed: never the secret. */
  public record CredentialView(String accessKeyId, UUID serviceId, Instant createdAt) {
    static CredentialView of(S3Credential c) {
      return new CredentialView(c.accessKeyId(), c.serviceId(), c.createdAt());
    }
  }

  /** The created pair, with the secret shown this once. */
  public record CreatedCredentialView(
      String accessKeyId, String secretAccessKey, UUID serviceId, Instant createdAt) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create an S3 access key pair (tenant admin); the secret is shown only here")
  public Mono<CreatedCredentialView> create(
      @PathVariable UUID serviceId,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> credentials.create(caller, serviceId))
        .map(
            issued ->
                new CreatedCredentialView(
                    issued.credential().accessKeyId(),
                    issued.secretAccessKey(),
                    issued.credential().serviceId(),
                    issued.credential().createdAt()));
  }

  @GetMapping
  @Operation(summary = "The instance's active S3 access keys (ids only)")
  public Flux<CredentialView> list(
      @PathVariable UUID serviceId,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMapMany(caller -> credentials.list(caller, serviceId))
        .map(CredentialView::of);
  }

  @DeleteMapping("/{accessKeyId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Revoke an S3 access key (tenant admin)")
  public Mono<Void> revoke(
      @PathVariable UUID serviceId,
      @PathVariable String accessKeyId,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> credentials.revoke(caller, serviceId, accessKeyId));
  }
}
