package dev.cumulus.auth.s3credential.web;

import dev.cumulus.auth.s3credential.application.S3CredentialService;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.InternalSecret;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Base64;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * storage-service's SigV4 key lookup (docs/identity.md "S3 access keys"). Public to the JWT filter:
 * {@code X-Cumulus-Internal-Secret} is its credential, and without a configured secret it refuses
 * every call. The gateway never routes {@code /internal/**} from outside.
 */
@RestController
@Tag(name = "Internal", description = "Used by storage-service")
public class S3SigningKeyController {

  private final S3CredentialService credentials;
  private final InternalSecret internalSecret;

  public S3SigningKeyController(S3CredentialService credentials, InternalSecret internalSecret) {
    this.credentials = credentials;
    this.internalSecret = internalSecret;
  }

  public record SigningKeyRequest(String accessKeyId, String date, String region, String service) {}

  public record SigningKeyResponse(
      String accessKeyId, String tenantId, UUID serviceId, String signingKey) {}

  @PostMapping("/internal/auth/s3/signing-key")
  @Operation(
      summary = "The SigV4 signing key of an access key for one date, region and service",
      description =
          "Needs X-Cumulus-Internal-Secret. 404 InvalidAccessKeyId when the key is unknown,"
              + " revoked or its instance deleted. The secret itself is never returned.")
  public Mono<SigningKeyResponse> signingKey(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @RequestBody(required = false) Mono<SigningKeyRequest> body) {
    // 401 before looking at the body.
    return internalSecret.require(presented, body, signingKey(body));
  }

  private Mono<SigningKeyResponse> signingKey(Mono<SigningKeyRequest> body) {
    return body.switchIfEmpty(
            Mono.error(() -> ApiException.badRequest("Request body is missing or empty")))
        .flatMap(
            request ->
                credentials.signingKey(
                    request.accessKeyId(), request.date(), request.region(), request.service()))
        .map(
            derived ->
                new SigningKeyResponse(
                    derived.credential().accessKeyId(),
                    derived.credential().tenantId(),
                    derived.credential().serviceId(),
                    Base64.getEncoder().encodeToString(derived.signingKey())));
  }
}
