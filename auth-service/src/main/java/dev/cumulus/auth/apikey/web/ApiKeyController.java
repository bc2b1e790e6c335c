package dev.cumulus.auth.apikey.web;

import dev.cumulus.auth.apikey.application.ApiKeyService;
import dev.cumulus.auth.apikey.domain.ApiKey;
import dev.cumulus.auth.common.application.CallerResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tenant administrators create, list (prefix only) and revoke API keys (DockSaaS envelope). */
@RestController
@RequestMapping("/api/api-keys")
@Tag(name = "API keys", description = "Create (shown once), list and revoke API keys")
public class ApiKeyController {

  private static final String DOMAIN = "X-Tenant-Domain";

  private final ApiKeyService keys;
  private final CallerResolver callers;

  public ApiKeyController(ApiKeyService keys, CallerResolver callers) {
    this.keys = keys;
    this.callers = callers;
  }

  public record CreateKeyRequest(
      @NotBlank @Size(max = 100) String name,
      List<String> scopes,
      UUID serviceId,
      Instant expiresAt) {}

  /** A key as listed: never the secret. */
  public record KeyView(
      UUID id,
      String name,
      String prefix,
      List<String> scopes,
      UUID serviceId,
      String tenantId,
      String createdBy,
      Instant createdAt,
      Instant expiresAt) {
    static KeyView of(ApiKey key) {
      return new KeyView(
          key.id(),
          key.name(),
          key.displayPrefix(),
          key.scopes(),
          key.serviceId(),
          key.tenantId(),
          key.createdBy(),
          key.createdAt(),
          key.expiresAt());
    }
  }

  /** The created key, with the full {@code key} shown this once. */
  public record CreatedKeyView(
      UUID id,
      String name,
      String key,
      String prefix,
      List<String> scopes,
      UUID serviceId,
      String tenantId,
      Instant createdAt,
      Instant expiresAt) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Create an API key; the key is in this response only",
      description =
          "scopes: read, write or * (default read+write); serviceId binds the key to one instance.")
  public Mono<CreatedKeyView> create(
      @Valid @RequestBody CreateKeyRequest request,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(
            caller ->
                keys.create(
                    caller,
                    request.name(),
                    request.scopes(),
                    request.serviceId(),
                    request.expiresAt()))
        .map(
            created -> {
              ApiKey k = created.key();
              return new CreatedKeyView(
                  k.id(),
                  k.name(),
                  created.secret(),
                  k.displayPrefix(),
                  k.scopes(),
                  k.serviceId(),
                  k.tenantId(),
                  k.createdAt(),
                  k.expiresAt());
            });
  }

  @GetMapping
  @Operation(summary = "The tenant's active API keys (prefix only)")
  public Flux<KeyView> list(@RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers.resolve(domain).flatMapMany(keys::list).map(KeyView::of);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Revoke an API key (effective at the gateway within seconds)")
  public Mono<Void> revoke(
      @PathVariable UUID id, @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers.resolve(domain).flatMap(caller -> keys.revoke(caller, id));
  }
}
