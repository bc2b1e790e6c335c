package dev.cumulus.auth.apikey.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.apikey.application.ApiKeyService;
import dev.cumulus.platform.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The gateway's API-key exchange (docs/identity.md): the key is the credential, so this needs no
 * other. The gateway never routes {@code /internal/**} from outside.
 */
@RestController
@Tag(name = "Internal", description = "Used by the gateway")
public class ApiKeyExchangeController {

  private final ApiKeyService keys;

  public ApiKeyExchangeController(ApiKeyService keys) {
    this.keys = keys;
  }

  public record TokenResponse(
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") long expiresIn) {}

  @PostMapping("/internal/auth/api-key-token")
  @Operation(summary = "Exchange X-API-Key for a short-lived access token; 401 if not usable")
  public Mono<TokenResponse> exchange(
      @RequestHeader(value = "X-API-Key", required = false) String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      return Mono.error(ApiException.unauthorized("X-API-Key is required"));
    }
    return keys.exchange(apiKey)
        .map(token -> new TokenResponse(token.token(), "Bearer", token.expiresInSeconds()));
  }
}
