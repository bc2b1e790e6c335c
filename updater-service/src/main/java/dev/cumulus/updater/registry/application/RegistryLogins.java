package dev.cumulus.updater.registry.application;

import dev.cumulus.platform.crypto.SecretSealer;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.registry.domain.RegistryCredentials;
import dev.cumulus.updater.registry.domain.RegistryLogin;
import dev.cumulus.updater.registry.domain.RegistryNames;
import dev.cumulus.updater.registry.persistence.RegistryLoginRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tenants' logins to private registries: saved with the password sealed, shown without it, and
 * handed to the registry client and the engine when one of the tenant's images lives there. A
 * tenant only ever reaches its own logins.
 */
@Service
public class RegistryLogins {

  private static final int MAX_USERNAME = 255;
  private static final int MAX_PASSWORD = 8192;

  private final RegistryLoginRepository logins;
  private final SecretSealer secrets;

  public RegistryLogins(RegistryLoginRepository logins, SecretSealer secrets) {
    this.logins = logins;
    this.secrets = secrets;
  }

  /** Saves (or replaces) the login; a replaced login gets a new id, so old tokens go unused. */
  public Mono<RegistryLoginRepository.Saved> save(
      String tenantId, String registry, String username, String password) {
    String name = registryName(registry);
    Map<String, List<String>> errors = new LinkedHashMap<>();
    if (username == null || username.isBlank()) {
      errors.put("username", List.of("is required"));
    } else if (username.length() > MAX_USERNAME) {
      errors.put("username", List.of("must be at most " + MAX_USERNAME + " characters"));
    }
    if (password == null || password.isEmpty()) {
      errors.put("password", List.of("is required"));
    } else if (password.length() > MAX_PASSWORD) {
      errors.put("password", List.of("must be at most " + MAX_PASSWORD + " characters"));
    }
    if (!errors.isEmpty()) {
      return Mono.error(ApiException.validation("Validation failed", errors));
    }
    String id = UUID.randomUUID().toString();
    return logins.save(id, tenantId, name, username, secrets.seal(password, id));
  }

  public Mono<RegistryLogin> find(String tenantId, String registry) {
    return logins
        .find(tenantId, registryName(registry))
        .map(RegistryLoginRepository.Stored::login)
        .switchIfEmpty(Mono.error(() -> notFound(registry)));
  }

  public Flux<RegistryLogin> all(String tenantId) {
    return logins.all(tenantId);
  }

  public Mono<Void> delete(String tenantId, String registry) {
    return logins
        .delete(tenantId, registryName(registry))
        .flatMap(deleted -> deleted ? Mono.<Void>empty() : Mono.error(notFound(registry)));
  }

  /** The tenant's credentials for the image's registry, or empty (anonymous access). */
  public Mono<RegistryCredentials> credentialsFor(String tenantId, ImageReference image) {
    String name = RegistryNames.normalize(image.registry());
    if (tenantId == null || name == null) {
      return Mono.empty();
    }
    return logins.find(tenantId, name).map(this::credentials);
  }

  private RegistryCredentials credentials(RegistryLoginRepository.Stored stored) {
    RegistryLogin login = stored.login();
    try {
      return new RegistryCredentials(
          login.id(), login.username(), secrets.open(stored.sealedPassword(), login.id()));
    } catch (IllegalStateException unreadable) {
      // Sealed under a master key this instance no longer has: the tenant can save it again.
      throw new ApiException(
          ErrorKind.SERVICE_UNAVAILABLE,
          "The saved login for registry " + login.registry() + " cannot be read; save it again",
          "REGISTRY_ERROR",
          unreadable.getMessage(),
          Map.of(),
          null);
    }
  }

  private static String registryName(String registry) {
    String name = RegistryNames.normalize(registry);
    if (name == null) {
      throw ApiException.validation(
          "Validation failed", Map.of("registry", List.of("must be a registry host[:port]")));
    }
    return name;
  }

  private static ApiException notFound(String registry) {
    return ApiException.notFound("No login for registry " + registry);
  }
}
