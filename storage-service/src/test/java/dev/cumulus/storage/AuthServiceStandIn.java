package dev.cumulus.storage;

import dev.cumulus.platform.testsupport.StandInServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.netty.DisposableServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * auth-service's {@code GET /internal/tenants/{id}/quota} as storage-service's tests need it, over
 * real HTTP on a local port (auth-service is another module; its own QuotasIT tests the real
 * endpoint, and e2e runs both). It checks the internal secret as auth-service does, answers the
 * enterprise plan's storage limits unless a test sets a tenant's own, and can be taken down to see
 * how storage behaves without auth-service.
 */
public final class AuthServiceStandIn {

  public static final String INTERNAL_SECRET = "storage-test-internal-secret";

  private static final long GIB = 1L << 30;
  private static final Map<String, Long> PLAN =
      Map.of("buckets", 1000L, "stored_bytes", 10240 * GIB, "max_object_bytes", 5 * GIB);
  private static final Map<String, Map<String, Long>> OVERRIDES = new ConcurrentHashMap<>();
  private static final AtomicBoolean DOWN = new AtomicBoolean();
  private static DisposableServer server;

  private AuthServiceStandIn() {}

  /** Its base URL, starting it on first use (one per test JVM). */
  public static synchronized String url() {
    if (server == null) {
      server =
          StandInServer.start(
              routes ->
                  routes.get(
                      "/internal/tenants/{tenantId}/quota",
                      (request, response) -> {
                        if (DOWN.get()) {
                          return response.status(503).send();
                        }
                        if (!INTERNAL_SECRET.equals(
                            request.requestHeaders().get("X-Cumulus-Internal-Secret"))) {
                          return response.status(401).send();
                        }
                        String tenant = request.param("tenantId");
                        Map<String, Long> limits = new ConcurrentHashMap<>(PLAN);
                        limits.putAll(OVERRIDES.getOrDefault(tenant, Map.of()));
                        String body =
                            JsonMapper.builder()
                                .build()
                                .writeValueAsString(Map.of("tenantId", tenant, "quotas", limits));
                        return StandInServer.json(response, body);
                      }));
    }
    return "http://127.0.0.1:" + server.port();
  }

  /** The tenant's own limits from now on (as a platform admin's PUT .../quotas would set). */
  public static void setQuotas(String tenantId, Map<String, Long> limits) {
    OVERRIDES.put(tenantId, Map.copyOf(limits));
  }

  /** Whether it answers 503 to everything, as an auth-service that is down or failing would. */
  public static void down(boolean down) {
    DOWN.set(down);
  }
}
