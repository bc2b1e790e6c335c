package dev.cumulus.platform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What every Cumulus domain service (platform-data) must show once booted, beyond {@link
 * WebServiceBootContract}: its own database created and migrated, readiness UP with the database
 * and Kafka checked.
 *
 * <p>A service's boot test is this class plus {@code @SpringBootTest(classes = ..., webEnvironment
 * = RANDOM_PORT)}.
 */
public abstract class ServiceBootContract extends WebServiceBootContract {

  @Value("${cumulus.database.name}")
  String databaseName;

  @Autowired DatabaseClient db;

  @Test
  void createsAndMigratesItsOwnDatabase() {
    String current =
        db.sql("SELECT current_database()").map(r -> r.get(0, String.class)).one().block();
    Long outboxRows =
        db.sql("SELECT count(*) FROM cumulus_outbox").map(r -> r.get(0, Long.class)).one().block();
    assertThat(current).isEqualTo(databaseName);
    assertThat(outboxRows).isNotNull();
  }

  /** Beyond {@link #isLiveAndReady}: readiness checks the database and Kafka. */
  @Test
  void readinessChecksTheDatabaseAndKafka() {
    management
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.components.r2dbc.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("UP");
  }
}
