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

  /**
   * The tenant and service segments of a DockSaaS instance path, either possibly null (the gateway
   * counts instance traffic by it too).
   */
  public record InstancePath(String tenantId, String serviceId) {

    /** Not an instance path. */
    public static final InstancePath NONE = new InstancePath(null, null);

    /** Parses {@code /api/{type}/{tenantId}/{serviceId}/...} without regular expressions. */
    public static InstancePath of(String path) {
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
        && !(readOnly(method) && isOwnInstanceRecord(path, caller.serviceId()))) {
      // An instance-bound key outside instance paths: only its own record and metrics.
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

  /**
   * What an instance key may read outside instance paths, for its own instance only: its
   * control-plane record {@code /api/services/{id}} (not the list, not a delete) and its traffic
   * metrics {@code /api/metrics/instances/{id}} (served by the gateway).
   */
  private static boolean isOwnInstanceRecord(String path, String serviceId) {
    return isOwn(path, "/api/services/", serviceId)
        || isOwn(path, "/api/metrics/instances/", serviceId);
  }

  /** {@code path} is {@code prefix + serviceId}, with or without a trailing slash. */
  private static boolean isOwn(String path, String prefix, String serviceId) {
    int end = prefix.length() + serviceId.length();
    return path.startsWith(prefix)
        && path.startsWith(serviceId, prefix.length())
        && (path.length() == end || (path.length() == end + 1 && path.charAt(end) == '/'));
  }

  private static boolean readOnly(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }
}
