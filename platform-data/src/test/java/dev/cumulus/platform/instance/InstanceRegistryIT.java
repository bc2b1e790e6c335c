package dev.cumulus.platform.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.OutboxFixture;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The instance registry on a real database: provisioning, reports, access, deletion. */
class InstanceRegistryIT {

  private final PostgresServer pg = TestInfrastructure.postgres();
  private final List<String> provisioned = new CopyOnWriteArrayList<>();
  private final List<String> deprovisioned = new CopyOnWriteArrayList<>();
  private volatile RuntimeException provisionFailure;
  private OutboxFixture fixture;
  private InstanceRegistry registry;

  @BeforeEach
  void registry() {
    String database = pg.createDatabase("instance_registry");
    OutboxFixture.migrate(pg, database);
    fixture = new OutboxFixture(pg, database);
    InstanceProvisioner provisioner =
        new InstanceProvisioner() {
          @Override
          public Mono<Void> provision(Instance instance) {
            provisioned.add(instance.serviceId());
            return provisionFailure == null ? Mono.empty() : Mono.error(provisionFailure);
          }

          @Override
          public Mono<Void> deprovision(Instance instance) {
            deprovisioned.add(instance.serviceId());
            return Mono.empty();
          }
        };
    registry =
        new InstanceRegistry(
            new InstanceRepository(fixture.db),
            provisioner,
            fixture.outbox("test"),
            Set.of("s3storage"),
            Duration.ofMinutes(5));
  }

  @Test
  void aCreatedInstanceIsProvisionedOnceMadeReadyAndReported() {
    String id = UUID.randomUUID().toString();
    created(id, "S3Storage", "t1");
    created(id, "S3Storage", "t1"); // a redelivered announcement changes nothing

    assertThat(provisioned).containsExactly(id);
    Instance instance = registry.require("t1", id).block();
    assertThat(instance.serviceType()).isEqualTo("s3storage");
    assertThat(instance.ready()).isTrue();
    JsonNode report = onlyReport(id);
    assertThat(report.path("eventType").asString()).isEqualTo("instance.ready");
    assertThat(report.path("tenantId").asString()).isEqualTo("t1");
    assertThat(report.path("data").path("serviceName").asString()).isEqualTo("name-" + id);
    assertThat(eventType(id)).isEqualTo("dev.cumulus.test.instance.ready.v1");
  }

  @Test
  void aFailedProvisioningIsRecordedReportedAndRefusedWith503() {
    provisionFailure = new IllegalStateException("disk full");
    String id = UUID.randomUUID().toString();
    created(id, "s3storage", "t1");

    JsonNode report = onlyReport(id);
    assertThat(report.path("eventType").asString()).isEqualTo("instance.failed");
    assertThat(report.path("data").path("reason").asString()).isEqualTo("disk full");
    assertThatThrownBy(() -> registry.require("t1", id).block())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
              assertThat(e.code()).isEqualTo("ServiceNotReady");
            });
  }

  @Test
  void otherTenantsAndUnhostedTypesSeeNothing() {
    String id = UUID.randomUUID().toString();
    created(id, "s3storage", "t1");
    created(UUID.randomUUID().toString(), "Queue", "t1");

    assertThat(provisioned).containsExactly(id);
    assertThatThrownBy(() -> registry.require("t2", id).block())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
              assertThat(e.code()).isEqualTo("NoSuchService");
            });
  }

  @Test
  void aDeletedInstanceIsDeprovisionedAndNeverComesBack() {
    String id = UUID.randomUUID().toString();
    created(id, "s3storage", "t1");
    registry.require("t1", id).block(); // cached while live
    registry.deleted(id).as(fixture.tx::transactional).block();
    registry.deleted(id).as(fixture.tx::transactional).block(); // redelivery: nothing more
    created(id, "s3storage", "t1"); // a late redelivery of service.created

    assertThat(deprovisioned).containsExactly(id);
    assertThat(provisioned).containsExactly(id);
    assertThatThrownBy(() -> registry.require("t1", id).block())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  private void created(String id, String type, String tenant) {
    registry.created(id, type, tenant, "name-" + id).as(fixture.tx::transactional).block();
  }

  private JsonNode onlyReport(String id) {
    List<String> payloads =
        fixture
            .db
            .sql("SELECT payload::text FROM cumulus_outbox WHERE event_key = :id")
            .bind("id", id)
            .map(row -> row.get(0, String.class))
            .all()
            .collectList()
            .block();
    assertThat(payloads).hasSize(1);
    return JsonMapper.builder().build().readTree(payloads.get(0));
  }

  private String eventType(String id) {
    return fixture
        .db
        .sql("SELECT event_type FROM cumulus_outbox WHERE event_key = :id")
        .bind("id", id)
        .map(row -> row.get(0, String.class))
        .one()
        .block();
  }
}
