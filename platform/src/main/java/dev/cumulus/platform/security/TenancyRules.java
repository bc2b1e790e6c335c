package dev.cumulus.platform.security;

import dev.cumulus.platform.error.ApiException;
import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * Which tenant and instance a request may touch (docs/identity.md, "Tenancy"): the {@code
 * {tenantId}} of a DockSaaS instance path and the {@code X-Tenant-Domain} header must be the
 * caller's own unless the caller is a platform admin; an instance-bound API key reaches only its
 * instance; a key without {@code write} scope only reads.
 */
public final class TenancyRules {

  /** The six DockSaaS instance types of seed 000: {@code /api/{type}/{tenantId}/{serviceId}/**}. */
  static final Set<String> INSTANCE_TYPES =
      Set.of("s3storage", "rdsdatabase", "nosqldatabase", "queue", "function", "kafka");

  private static final Set<String> WRITE_SCOPES = Set.of("write", "*");

  private TenancyRules() {}

  /** The tenant and service segments of a DockSaaS instance path, either possibly null. */
  record InstancePath(String tenantId, String serviceId) {

    static final InstancePath NONE = new InstancePath(null, null);

    /** Parses {@code /api/{type}/{tenantId}/{serviceId}/...} without regular expressions. */
    static InstancePath of(String path) {
      if (!path.startsWith("/api/")) {
        return NONE;
      }
      int typeEnd = path.indexOf('/', 5);
      if (typeEnd < 0 || !INSTANCE_TYPES.contains(path.substring(5, typeEnd))) {
        return NONE;
      }
      String tenant = segment(path, typeEnd + 1);
      if (tenant == null) {
        return NONE;
      }
      String service = segment(path, typeEnd + 1 + tenant.length() + 1);
      return new InstancePath(tenant, service);
    }

    private static String segment(String path, int start) {
      if (start >= path.length()) {
        return null;
      }
      int end = path.indexOf('/', start);
      String segment = end < 0 ? path.substring(start) : path.substring(start, end);
      return segment.isEmpty() ? null : segment;
    }
  }

  /** Throws a 403 {@link ApiException} when the caller may not make this request. */
  public static void check(
      CumulusPrincipal caller, HttpMethod method, String path, String tenantDomainHeader) {
    InstancePath instance = InstancePath.of(path);
    if (instance.tenantId() != null) {
      caller.requireInstanceAccess(instance.tenantId(), instance.serviceId());
    } else if (!caller.mayReachInstance(null)
        && !(readOnly(method) && isOwnControlPlaneRecord(path, caller.serviceId()))) {
      // An instance-bound key outside instance paths: only its own control-plane record.
      throw ApiException.forbidden("This API key may only access service " + caller.serviceId());
    }
    if (!caller.isPlatformAdmin()
        && tenantDomainHeader != null
        && !tenantDomainHeader.equals(caller.tenantDomain())) {
      throw ApiException.forbidden("Access denied to tenant domain '" + tenantDomainHeader + "'");
    }
    if (caller.isApiKey()
        && !readOnly(method)
        && caller.scopes().stream().noneMatch(WRITE_SCOPES::contains)) {
      throw ApiException.forbidden("This API key is read-only");
    }
  }

  /** {@code /api/services/{id}}: an instance key may read (not list or delete) its own record. */
  private static boolean isOwnControlPlaneRecord(String path, String serviceId) {
    String own = "/api/services/" + serviceId;
    return path.equals(own) || path.equals(own + "/");
  }

  private static boolean readOnly(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }
}
