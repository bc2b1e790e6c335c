package dev.cumulus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TcpProxy;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis cut off behind a TCP proxy: requests still pass (fail open: rate limits and the
 * ended-session check), and the metric says so.
 */
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRedisFailOpenIT {

  static final TestUpstream upstream = new TestUpstream();
  static final TcpProxy redis =
      new TcpProxy(TestInfrastructure.redis().getHost(), TestInfrastructure.redis().getPort());
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;

  @org.springframework.boot.test.web.server.LocalManagementPort int managementPort;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "gateway");
    registry.add("spring.data.redis.port", redis::port);
    registry.add("CUMULUS_STORAGE_URL", upstream::url);
    registry.add("cumulus.gateway.rate-limits.key-prefix", () -> "test-" + RUN + ":");
  }

  @AfterAll
  static void stop() {
    redis.close();
    upstream.close();
  }

  @Test
  void requestsPassWhileRedisIsAwayAndAreCountedAgainWhenItReturns() throws Exception {
    WebTestClient http = TestClients.http(port);
    String tenant = "tenant-failopen-" + RUN;
    Map<String, Object> claims = TestJwtIssuer.userClaims(tenant, "user");
    // A login's token: the gateway also asks Redis whether its session has ended.
    claims.put(CumulusClaims.SESSION_ID, UUID.randomUUID().toString());
    String token = TestJwtIssuer.shared().token(claims);
    Supplier<EntityExchangeResult<byte[]>> call =
        () ->
            http.get()
                .uri("/api/s3storage/" + tenant + "/svc/objects")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult();
    awaitCounted(call);

    redis.cut();
    // Past the gateway's reuse of the session's answer (2 s): the check meets the cut too.
    Thread.sleep(2_100);
    double failOpenBefore = meters.counter("cumulus.gateway.ratelimit.failopen").count();
    for (int i = 0; i < 5; i++) {
      long started = System.nanoTime();
      EntityExchangeResult<byte[]> passed = call.get();
      assertThat(passed.getResponseHeaders().containsHeader("X-RateLimit-Limit")).isFalse();
      // Never held up beyond the Redis timeout (100 ms) by much.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }
    assertThat(meters.counter("cumulus.gateway.ratelimit.failopen").count() - failOpenBefore)
        .isGreaterThanOrEqualTo(5);
    TestClients.http(managementPort)
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("cumulus_gateway_ratelimit_failopen_total"));

    redis.restore();
    awaitCounted(call);
  }

  private static void awaitCounted(Supplier<EntityExchangeResult<byte[]>> call)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!call.get().getResponseHeaders().containsHeader("X-RateLimit-Limit")) {
      assertThat(System.nanoTime()).as("rate limits counted again").isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
