package dev.cumulus.updater.common.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Seed 002's permissions ({@code container:read}, {@code container:write}, {@code image:read},
 * {@code update:read}, {@code update:write}; and {@code image:write} for registry logins) as
 * auth-service puts them in the token; a tenant administrator (permission {@code *} or role {@code
 * admin}) holds them all.
 */
public final class Permissions {

  public static final String CONTAINER_READ = "container:read";
  public static final String CONTAINER_WRITE = "container:write";
  public static final String IMAGE_READ = "image:read";

  /** Beyond the seed: managing the tenant's private-registry logins. */
  public static final String IMAGE_WRITE = "image:write";

  public static final String UPDATE_READ = "update:read";
  public static final String UPDATE_WRITE = "update:write";

  private Permissions() {}

  /** The caller, when it holds the permission; a 403 {@code INSUFFICIENT_PERMISSIONS} if not. */
  public static Mono<CumulusPrincipal> require(String permission) {
    return CumulusPrincipal.current()
        .flatMap(
            principal ->
                holds(principal, permission)
                    ? Mono.just(principal)
                    : Mono.error(
                        new ApiException(
                            ErrorKind.FORBIDDEN,
                            "Insufficient permissions",
                            "INSUFFICIENT_PERMISSIONS",
                            "This operation needs the '" + permission + "' permission",
                            Map.of(),
                            null)));
  }

  public static boolean holds(CumulusPrincipal principal, String permission) {
    return principal.hasPermission(permission) || principal.isTenantAdmin();
  }
}
