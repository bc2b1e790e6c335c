package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.database.rds.application.RdsPlanEvents;
import dev.cumulus.database.rds.domain.DatabaseNames;
import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.OutboxEvent;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A plan change reaches a tenant's instances at once (issue 24): the tenant event on {@code
 * cumulus.tenants}, published to the embedded Kafka as auth-service would, changes every instance's
 * role without any API call (the per-call check cannot have done it: no call is made). The plans
 * are test/resources' (free: 8 connections, 2 s; pro: 12, 6 s).
 */
class RdsPlanEventsIT extends RdsFixture {

  @Test
  void aPlanChangeEventChangesEveryInstanceOfTheTenantAtOnce() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    TestInstance first = newRds(tenant);
    TestInstance second = newRds(tenant);
    TestInstance otherTenants = newRds();
    String role1 = DatabaseNames.of(first.service());
    String role2 = DatabaseNames.of(second.service());
    String role3 = DatabaseNames.of(otherTenants.service());
    assertThat(connectionLimit(role1)).isEqualTo(8);

    // auth-service now answers pro; without an event or an API call nothing changes.
    TestPlans.set(tenant, "pro");
    Thread.sleep(1500);
    assertThat(connectionLimit(role1)).as("no event, no API call: unchanged").isEqualTo(8);

    publish(tenant, "dev.cumulus.auth.tenant.plan-changed.v1", "pro");
    awaitConnectionLimit(role1, 12);
    awaitConnectionLimit(role2, 12);
    assertThat(statementTimeout(role2)).isEqualTo("statement_timeout=6000ms");
    assertThat(connectionLimit(role3)).as("another tenant's instance").isEqualTo(8);

    // The row follows, so the API uses the new limits: pro's 6 s allow a 2.5 s statement.
    query(first, "SELECT pg_sleep(2.5)");
    assertThat(
            send(first, org.springframework.http.HttpMethod.GET, "/info", null, 200)
                .path("plan")
                .stringValue())
        .isEqualTo("pro");

    // And back: auth-service's answer is what is applied, whatever the event says.
    TestPlans.set(tenant, "free");
    publish(tenant, "dev.cumulus.auth.tenant.plan-changed.v1", "pro");
    awaitConnectionLimit(role2, 8);
  }

  @Test
  void whileAuthServiceIsDownTheEventsPlanIsApplied() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    TestInstance db = newRds(tenant);
    String role = DatabaseNames.of(db.service());
    TestPlans.unreachable(tenant);

    publish(tenant, "dev.cumulus.auth.tenant.plan-changed.v1", "pro");
    awaitConnectionLimit(role, 12);

    // Other tenant event types are taken the same way; an event naming no plan while
    // auth-service is down changes nothing (and is not retried for ever).
    publish(tenant, "dev.cumulus.auth.tenant.quotas-changed.v1", null);
    TestPlans.set(tenant, "free");
    publish(tenant, "dev.cumulus.auth.tenant.quotas-changed.v1", null);
    awaitConnectionLimit(role, 8);
  }

  /** A CloudEvent as auth-service's outbox relay writes it: binary mode, keyed by tenant. */
  private static void publish(String tenant, String type, String plan) {
    String data =
        plan == null
            ? JSON.writeValueAsString(Map.of("tenantId", tenant))
            : JSON.writeValueAsString(Map.of("tenantId", tenant, "plan", plan));
    OutboxEvent event =
        new OutboxEvent(
            0,
            UUID.randomUUID(),
            RdsPlanEvents.TOPIC,
            tenant,
            type,
            "/auth",
            tenant,
            null,
            data,
            OffsetDateTime.now());
    Map<String, Object> config =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              RdsPlanEvents.TOPIC,
              null,
              tenant,
              data.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              CloudEventHeaders.of(event));
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("publishing the tenant event failed", e);
    }
  }

  private void awaitConnectionLimit(String role, int limit) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (connectionLimit(role) != limit) {
      assertThat(Instant.now())
          .as("%s's connection limit %d in time", role, limit)
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private int connectionLimit(String role) throws SQLException {
    try (Connection admin = superuser("postgres");
        Statement statement = admin.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + role + "'")) {
      assertThat(row.next()).as("role %s", role).isTrue();
      return row.getInt(1);
    }
  }

  private String statementTimeout(String role) throws SQLException {
    try (Connection admin = superuser("postgres");
        Statement statement = admin.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT s FROM pg_db_role_setting d JOIN pg_roles r ON r.oid = d.setrole,"
                    + " unnest(d.setconfig) s WHERE r.rolname = '"
                    + role
                    + "' AND s LIKE 'statement_timeout=%'")) {
      assertThat(row.next()).isTrue();
      return row.getString(1);
    }
  }
}
