package dev.cumulus.auth;

import dev.cumulus.platform.testsupport.StandInServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.netty.DisposableServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * storage-service's {@code GET /internal/tenants/{id}/usage} as auth-service's tests need it, over
 * real HTTP on a local port: it checks the internal secret, answers the usage a test set for a
 * tenant, and 503 for any other (storage-service not answering).
 */
final class StorageUsageStandIn {

  private static final Map<String, Map<String, Long>> USAGE = new ConcurrentHashMap<>();
  private static DisposableServer server;

  private StorageUsageStandIn() {}

  /** Its base URL, starting it on first use (one per test JVM). */
  static synchronized String url() {
    if (server == null) {
      server =
          StandInServer.start(
              routes ->
                  routes.get(
                      "/internal/tenants/{tenantId}/usage",
                      (request, response) -> {
                        if (!AuthIT.INTERNAL_SECRET.equals(
                            request.requestHeaders().get("X-Cumulus-Internal-Secret"))) {
                          return response.status(401).send();
                        }
                        String tenant = request.param("tenantId");
                        Map<String, Long> usage = USAGE.get(tenant);
                        if (usage == null) {
                          return response.status(503).send();
                        }
                        String body =
                            JsonMapper.builder()
                                .build()
                                .writeValueAsString(Map.of("tenantId", tenant, "usage", usage));
                        return StandInServer.json(response, body);
                      }));
    }
    return "http://127.0.0.1:" + server.port();
  }

  /** What storage-service counts for the tenant from now on. */
  static void set(String tenantId, long buckets, long storedBytes, long parkedBytes) {
    USAGE.put(
        tenantId,
        Map.of(
            "buckets", buckets,
            "objects", 1L,
            "storedBytes", storedBytes,
            "parkedBytes", parkedBytes));
  }
}
