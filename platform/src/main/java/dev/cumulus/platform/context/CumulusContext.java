package dev.cumulus.platform.context;

import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Request id and tenant id of the work in progress, carried in the Reactor context (and from there
 * into the logging MDC, outgoing WebClient calls and outbox events).
 */
public final class CumulusContext {

  /** Reactor context and MDC key of the request id. */
  public static final String REQUEST_ID = "requestId";

  /** Reactor context and MDC key of the tenant id. */
  public static final String TENANT_ID = "tenantId";

  /** HTTP header carrying the request id in and out of every service. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  /**
   * HTTP header carrying the tenant id on calls between services. Informational only: a service
   * takes its tenant from a verified token, never from this header.
   */
  public static final String TENANT_ID_HEADER = "X-Cumulus-Tenant-Id";

  private CumulusContext() {}

  public static Optional<String> requestId(ContextView context) {
    return context.getOrEmpty(REQUEST_ID);
  }

  public static Optional<String> tenantId(ContextView context) {
    return context.getOrEmpty(TENANT_ID);
  }

  /** The current request id, empty outside a request. */
  public static Mono<Optional<String>> requestId() {
    return Mono.deferContextual(c -> Mono.just(requestId(c)));
  }

  /** The current tenant id, empty outside tenant-bound work. */
  public static Mono<Optional<String>> tenantId() {
    return Mono.deferContextual(c -> Mono.just(tenantId(c)));
  }

  /** Binds the work downstream of {@code contextWrite} to a tenant. */
  public static Context withTenant(Context context, String tenantId) {
    return tenantId == null ? context : context.put(TENANT_ID, tenantId);
  }

  public static Context withRequestId(Context context, String requestId) {
    return requestId == null ? context : context.put(REQUEST_ID, requestId);
  }
}
