package dev.cumulus.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * Updates that hang (here: a pre-update hook that never exits) take every worker slot of the
 * instance (4); each is given up past its deadline (health-check timeout 1 s + the tests' run
 * timeout of 8 s), fails with its old container still serving, and the next update runs. Without
 * the deadline the hooks would hold the slots for 5 minutes (the exec's own limit) and the last
 * update would wait that long.
 */
class HungUpdateIT extends UpdaterIntegrationTest {

  static final int SLOTS = 4;

  @Test
  void hungUpdatesAreGivenUpAndTheNextUpdateStillRuns() {
    TestEngine.assumeAvailable();
    String repository = TestEngine.newRepository("hung");
    String v1 = TestEngine.pushWebImage(repository, "latest", "v1", true);
    List<Long> hung = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      hung.add(createManaged("hung-" + i, repository, "manual", "rolling", 0));
    }
    long next = createManaged("next", repository, "manual", "rolling", 0);
    String v2 = TestEngine.pushWebImage(repository, "latest", "v2", true);

    String at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).toString();
    call(
        HttpMethod.POST,
        "/api/updates/schedule",
        """
        {
          "container_ids": %s,
          "strategy": "rolling",
          "scheduled_at": "%s",
          "options": {"health_check_timeout": 1, "pre_update_script": "/bin/busybox sleep 600"}
        }
        """
            .formatted(hung, at),
        token,
        201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                hung.stream()
                    .allMatch(
                        id -> latestUpdate(id).path("logs").toString().contains("pre-update")));

    // Every slot is taken by a hook that sleeps for 10 minutes; this one has to wait for a slot.
    Instant asked = Instant.now();
    String waiting =
        call(
                HttpMethod.POST,
                "/api/containers/" + next + "/update",
                "{\"strategy\": \"rolling\", \"schedule\": \"immediate\"}",
                token,
                202)
            .path("data")
            .path("update_id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> status(waiting).equals("completed") || status(waiting).equals("failed"));
    assertThat(status(waiting)).isEqualTo("completed");
    assertThat(digest(next)).isEqualTo(v2);
    System.out.printf(
        "an update behind %d hung ones completed %d ms after it was asked for%n",
        SLOTS, Duration.between(asked, Instant.now()).toMillis());

    for (long id : hung) {
      JsonNode given = latestUpdate(id);
      assertThat(given.path("status").asString()).isEqualTo("failed");
      assertThat(given.path("logs").toString()).contains("Update timed out after 9s");
      JsonNode container = call(HttpMethod.GET, "/api/containers/" + id, null, token, 200);
      assertThat(container.path("data").path("status").asString()).isEqualTo("running");
      assertThat(container.path("data").path("image_digest").asString()).isEqualTo(v1);
      assertThat(served(id)).isEqualTo("v1");
    }
    // Given up means released: the lease is gone, a new update of the container may be asked for.
    assertThat(
            db.sql(
                    "SELECT count(*) AS n FROM updates WHERE tenant_id = :t AND lease_owner IS NOT"
                        + " NULL")
                .bind("t", tenant)
                .map(row -> row.get("n", Long.class))
                .one()
                .block())
        .isZero();
    call(
        HttpMethod.POST,
        "/api/containers/" + hung.getFirst() + "/update",
        "{\"strategy\": \"rolling\", \"schedule\": \"immediate\"}",
        token,
        202);
    await().atMost(Duration.ofSeconds(60)).until(() -> v2.equals(digest(hung.getFirst())));
  }

  String status(String updateId) {
    return call(HttpMethod.GET, "/api/updates/" + updateId, null, token, 200)
        .path("data")
        .path("status")
        .asString();
  }
}
