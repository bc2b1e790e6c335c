package dev.cumulus.platform.security;

import dev.cumulus.platform.error.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * The verified caller of a request: who, in which tenant, with which plan, roles and permissions.
 * Built only from a verified access token, never from request headers.
 *
 * @param subject user id, or {@code key:<id>} for an API key
 * @param apiKeyId set only when the caller authenticated with an API key
 * @param serviceId the one service instance an API key is bound to, if any
 */
public record CumulusPrincipal(
    String subject,
    String tenantId,
    String tenantDomain,
    String plan,
    String username,
    String email,
    List<String> roles,
    List<String> permissions,
    String apiKeyId,
    List<String> scopes,
    String serviceId,
    String sessionId) {

  public CumulusPrincipal {
    roles = roles == null ? List.of() : List.copyOf(roles);
    permissions = permissions == null ? List.of() : List.copyOf(permissions);
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  public static CumulusPrincipal from(Jwt jwt) {
    return fromClaims(jwt.getClaims());
  }

  /** From the claims of an already verified token. */
  public static CumulusPrincipal fromClaims(Map<String, Object> claims) {
    return new CumulusPrincipal(
        string(claims, "sub"),
        string(claims, CumulusClaims.TENANT_ID),
        string(claims, CumulusClaims.TENANT_DOMAIN),
        string(claims, CumulusClaims.PLAN),
        string(claims, CumulusClaims.USERNAME),
        string(claims, CumulusClaims.EMAIL),
        strings(claims, CumulusClaims.ROLES),
        strings(claims, CumulusClaims.PERMISSIONS),
        string(claims, CumulusClaims.API_KEY_ID),
        strings(claims, CumulusClaims.SCOPES),
        string(claims, CumulusClaims.SERVICE_ID),
        string(claims, CumulusClaims.SESSION_ID));
  }

  /** The caller of the current request; a 401 when the request is not authenticated. */
  public static Mono<CumulusPrincipal> current() {
    return currentIfAuthenticated()
        .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("Authentication required")));
  }

  /**
   * The verified caller, or empty for an anonymous one (only possible where the service lets
   * requests through without a token, see {@code cumulus.security.anonymous-read-paths}).
   */
  public static Mono<CumulusPrincipal> currentIfAuthenticated() {
    return ReactiveSecurityContextHolder.getContext()
        .map(SecurityContext::getAuthentication)
        .flatMap(CumulusPrincipal::of);
  }

  static Mono<CumulusPrincipal> of(Authentication authentication) {
    return authentication instanceof JwtAuthenticationToken token && token.isAuthenticated()
        ? Mono.just(from(token.getToken()))
        : Mono.empty();
  }

  public boolean isPlatformAdmin() {
    return roles.contains(CumulusClaims.ROLE_PLATFORM_ADMIN);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** A tenant administrator of this tenant, or a platform administrator. */
  public boolean isTenantAdmin() {
    return isPlatformAdmin() || roles.contains(CumulusClaims.ROLE_ADMIN);
  }

  /**
   * The DockSaaS instance rule, shared by the gateway and every instance-serving service: a caller
   * reaches {@code /api/{type}/{tenantId}/{serviceId}/**} only in its own tenant (a platform admin
   * in any), and an API key bound to an instance only that instance.
   *
   * @throws ApiException 403 otherwise
   */
  public void requireInstanceAccess(String tenantId, String serviceId) {
    if (!isPlatformAdmin() && !tenantId.equals(this.tenantId)) {
      throw ApiException.forbidden("Access denied to tenant '" + tenantId + "'");
    }
    if (!mayReachInstance(serviceId)) {
      throw ApiException.forbidden("This API key may only access service " + this.serviceId);
    }
  }

  /** False only for an API key bound to another instance. */
  public boolean mayReachInstance(String serviceId) {
    return this.serviceId == null || this.serviceId.equals(serviceId);
  }

  public boolean hasPermission(String permission) {
    return permissions.contains("*") || permissions.contains(permission);
  }

  public boolean isApiKey() {
    return apiKeyId != null;
  }

  private static String string(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    return value == null ? null : value.toString();
  }

  private static List<String> strings(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    if (value instanceof Collection<?> values) {
      return values.stream().map(String::valueOf).toList();
    }
    return value == null ? List.of() : List.of(value.toString().split(" "));
  }
}
