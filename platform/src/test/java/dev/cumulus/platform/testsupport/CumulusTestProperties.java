package dev.cumulus.platform.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test at the real test infrastructure: a fresh database name (which the
 * service itself must create, as it does in production), the test Kafka and Redis, and the shared
 * {@link TestJwtIssuer}'s JWKS as the source of trusted signing keys.
 */
public final class CumulusTestProperties {

  private CumulusTestProperties() {}

  /** Use from a {@code @DynamicPropertySource} method. */
  public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
    PostgresServer pg = TestInfrastructure.postgres();
    String database = PostgresServer.uniqueDatabaseName(databasePrefix);
    registry.add("cumulus.pg.host", pg::host);
    registry.add("cumulus.pg.port", pg::port);
    registry.add("cumulus.pg.user", pg::user);
    registry.add("cumulus.pg.password", pg::password);
    registry.add("cumulus.database.name", () -> database);
    registry.add("cumulus.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
    registry.add("spring.data.redis.host", () -> TestInfrastructure.redis().getHost());
    // The gateway's actuator port (9080 outside tests): a free one, so test gateways never collide.
    registry.add("CUMULUS_GATEWAY_MANAGEMENT_PORT", () -> "0");
    registry.add("spring.data.redis.port", () -> TestInfrastructure.redis().getPort());
    TestJwtIssuer.shared().register(registry);
  }
}
