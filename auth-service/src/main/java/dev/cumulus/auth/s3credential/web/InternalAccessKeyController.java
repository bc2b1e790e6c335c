package dev.cumulus.auth.s3credential.web;

import dev.cumulus.auth.s3credential.application.S3CredentialService;
import dev.cumulus.auth.s3credential.application.S3CredentialService.KeyOwner;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.InternalSecret;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Whose budget an access key spends, for the gateway: AWS-protocol requests (S3, SQS, DynamoDB...)
 * are budgeted per tenant by plan, so a tenant's new keys add no budget (issue 21 §3). Carries no
 * secret material; {@code X-Cumulus-Internal-Secret} is still its credential, as for every {@code
 * /internal} endpoint.
 */
@RestController
@Tag(name = "Internal", description = "Used by the gateway")
public class InternalAccessKeyController {

  private final S3CredentialService credentials;
  private final InternalSecret internalSecret;

  public InternalAccessKeyController(
      S3CredentialService credentials, InternalSecret internalSecret) {
    this.credentials = credentials;
    this.internalSecret = internalSecret;
  }

  @GetMapping("/internal/access-keys/{accessKeyId}")
  @Operation(
      summary = "The tenant, plan and instance of an access key",
      description =
          "Needs X-Cumulus-Internal-Secret. 404 when the key is unknown, revoked or its instance"
              + " deleted.")
  public Mono<KeyOwner> owner(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String accessKeyId) {
    return internalSecret.require(
        presented,
        null,
        credentials
            .owner(accessKeyId)
            .switchIfEmpty(
                Mono.error(() -> ApiException.notFound("No access key " + accessKeyId))));
  }
}
