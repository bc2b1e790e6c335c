package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/tenants/audit-logs/} a page at a time: keyset cursor, limit, filters, a stable
 * newest-first order, and seed 003's 400 envelope for a cursor or limit it did not make.
 */
class AuditLogPagingIT extends AuthIT {

  @Autowired DatabaseClient db;

  private JsonNode audit(Tenant tenant, String query, int status) {
    return json(
        http.get()
            .uri("/api/tenants/audit-logs/" + query)
            .header("Authorization", "Bearer " + tenant.adminToken())
            .header("X-Tenant-Domain", tenant.domain())
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  private void addOrganization(Tenant tenant, String name) {
    json(
        http.post()
            .uri("/api/tenants/organizations/")
            .header("Authorization", "Bearer " + tenant.adminToken())
            .header("X-Tenant-Domain", tenant.domain())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("name", name, "description", "paging test"))
            .exchange()
            .expectStatus()
            .isCreated());
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("data").path("results").forEach(e -> ids.add(e.path("id").asString()));
    return ids;
  }

  private static String next(JsonNode page) {
    JsonNode cursor = page.path("data").path("next_cursor");
    return cursor.isNull() ? null : cursor.asString();
  }

  @Test
  void pagesFollowTheCursorNewestFirstWithoutRepeatsOrGaps() {
    Tenant tenant = newTenant("pro");
    for (int i = 0; i < 7; i++) {
      addOrganization(tenant, "org-" + i);
    }
    JsonNode all = audit(tenant, "?limit=1000", 200);
    assertThat(all.path("status").asString()).isEqualTo("success");
    assertThat(next(all)).isNull();
    assertThat(all.path("data").has("next_cursor")).isTrue();
    List<String> everything = ids(all);
    assertThat(everything.size()).isGreaterThanOrEqualTo(8); // the admin user and 7 organizations
    assertNewestFirst(all.path("data").path("results"));

    List<String> paged = new ArrayList<>();
    JsonNode page = audit(tenant, "?limit=3", 200);
    paged.addAll(ids(page));
    // An entry written between two pages is newer than the cursor: neither repeated nor shifting.
    addOrganization(tenant, "org-late");
    int pages = 1;
    while (next(page) != null) {
      assertThat(ids(page)).hasSize(3);
      page = audit(tenant, "?limit=3&cursor=" + next(page), 200);
      paged.addAll(ids(page));
      pages++;
    }
    assertThat(paged).containsExactlyElementsOf(everything);
    assertThat(pages).isEqualTo((everything.size() + 2) / 3);
    assertThat(new HashSet<>(paged)).hasSameSizeAs(paged);

    // Exactly a multiple of the limit: the last full page says there is no more.
    JsonNode exact = audit(tenant, "?limit=" + (everything.size() + 1), 200);
    assertThat(ids(exact)).hasSize(everything.size() + 1);
    assertThat(next(exact)).isNull();
  }

  @Test
  void filtersNarrowEveryPageAndKeepTheCursorWorking() {
    Tenant tenant = newTenant("pro");
    String marker = "needle_" + UUID.randomUUID().toString().substring(0, 6);
    for (int i = 0; i < 5; i++) {
      addOrganization(tenant, marker + "-" + i);
    }
    addOrganization(tenant, "other-org");

    List<String> found = new ArrayList<>();
    String cursor = "";
    do {
      JsonNode page =
          audit(
              tenant,
              "?limit=2&action=create&resource_type=ORGANIZATION&q=" + marker + cursor,
              200);
      for (JsonNode e : page.path("data").path("results")) {
        assertThat(e.path("action").asString()).isEqualTo("CREATE");
        assertThat(e.path("resource_type").asString()).isEqualTo("ORGANIZATION");
        assertThat(e.path("changes").toString()).contains(marker);
        found.add(e.path("id").asString());
      }
      cursor = next(page) == null ? null : "&cursor=" + next(page);
    } while (cursor != null);
    assertThat(found).hasSize(5);

    // The underscore of the marker is literal, not LIKE's any-character.
    assertThat(ids(audit(tenant, "?q=" + marker.replace('_', 'x'), 200))).isEmpty();
    assertThat(ids(audit(tenant, "?user=BOS&resource_type=ORGANIZATION", 200))).hasSize(6);
    assertThat(ids(audit(tenant, "?user=nobody-like-this", 200))).isEmpty();

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    assertThat(ids(audit(tenant, "?resource_type=ORGANIZATION&from=" + today, 200))).hasSize(6);
    assertThat(ids(audit(tenant, "?resource_type=ORGANIZATION&to=" + yesterday, 200))).isEmpty();
    assertThat(
            ids(
                audit(
                    tenant, "?resource_type=ORGANIZATION&from=" + yesterday + "&to=" + today, 200)))
        .hasSize(6);
  }

  @Test
  void aCursorOnlyMovesWithinTheCallersTenant() {
    Tenant a = newTenant("pro");
    Tenant b = newTenant("pro");
    addOrganization(a, "a-one");
    addOrganization(a, "a-two");
    addOrganization(b, "b-one");
    String cursor = next(audit(a, "?limit=1", 200));
    assertThat(cursor).isNotNull();
    JsonNode inB = audit(b, "?limit=1000&cursor=" + cursor, 200);
    for (JsonNode e : inB.path("data").path("results")) {
      assertThat(e.path("changes").toString()).doesNotContain("a-one", "a-two");
    }
  }

  @Test
  void aCursorOrLimitItDidNotMakeIsA400InTheSeedEnvelope() {
    Tenant tenant = newTenant("pro");
    String notBase64 = "!!!";
    String notOurs =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("hello world".getBytes(StandardCharsets.US_ASCII));
    String badId =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("1700000000000000_not-a-uuid".getBytes(StandardCharsets.US_ASCII));
    String overflow =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("99999999999999999999_" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII));
    for (String query :
        List.of(
            "?cursor=" + notBase64,
            "?cursor=" + notOurs,
            "?cursor=" + badId,
            "?cursor=" + overflow,
            "?cursor=" + "A".repeat(300),
            "?limit=0",
            "?limit=1001",
            "?limit=-5",
            "?limit=ten",
            "?limit=1.5",
            "?action=EXPLODE",
            "?from=2024-13-01",
            "?to=yesterday",
            "?from=2025-02-02&to=2025-02-01",
            "?q=" + "x".repeat(201))) {
      JsonNode body = audit(tenant, query, 400);
      assertThat(body.path("status").asString()).as(query).isEqualTo("failure");
      assertThat(body.path("error").asString()).as(query).isNotBlank();
      assertThat(body.path("data").isNull()).as(query).isTrue();
    }
    assertThat(audit(tenant, "?limit=1", 200).path("data").path("results")).hasSize(1);
  }

  /**
   * The keyset page's plan with a realistic spread (many tenants, analysed): the V5 index serves
   * the tenant, the cursor and the order, with no sort step.
   */
  @Test
  void aPageIsAnIndexRangeWithoutASort() {
    String run = unique("plan");
    db.sql(
            """
            INSERT INTO audit_logs (id, tenant_id, action, resource_type, "timestamp")
            SELECT gen_random_uuid(), :run || '-' || (i % 40), 'CREATE', 'ORGANIZATION',
                   now() - i * interval '1 second'
            FROM generate_series(1, 20000) AS i
            """)
        .bind("run", run)
        .then()
        .then(db.sql("ANALYZE audit_logs").then())
        .block();

    String plan =
        String.join(
            "\n",
            db.sql(
                    """
                    EXPLAIN SELECT * FROM audit_logs
                    WHERE tenant_id = :tenant AND ("timestamp", id) < (now(), :id)
                    ORDER BY "timestamp" DESC, id DESC LIMIT 50
                    """)
                .bind("tenant", run + "-7")
                .bind("id", UUID.randomUUID())
                .map(row -> row.get(0, String.class))
                .all()
                .collectList()
                .block());

    // e.g. Limit -> Index Scan using audit_logs_tenant_time_id
    //   Index Cond: ((tenant_id = '...') AND (ROW("timestamp", id) < ROW(now(), '...'::uuid)))
    assertThat(plan).contains("Index Scan using audit_logs_tenant_time_id").doesNotContain("Sort");
  }

  private static void assertNewestFirst(JsonNode results) {
    for (int i = 1; i < results.size(); i++) {
      String newer = results.get(i - 1).path("timestamp").asString();
      String older = results.get(i).path("timestamp").asString();
      assertThat(java.time.Instant.parse(newer)).isAfterOrEqualTo(java.time.Instant.parse(older));
    }
  }
}
