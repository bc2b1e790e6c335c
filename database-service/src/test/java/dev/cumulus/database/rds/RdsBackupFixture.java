package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.database.rds.application.Backups;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * What the backup tests share, whatever the store: a database worth restoring (two tables, a
 * foreign key, an index, a sequence), its fingerprint (row counts, MD5 of every row, the sequence
 * position) to compare before the backup and after a restore, and taking a backup.
 */
abstract class RdsBackupFixture extends RdsFixture {

  static final String FINGERPRINT =
      "SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM items) AS items,"
          + " (SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o) AS orders_md5,"
          + " (SELECT md5(string_agg(i::text, '|' ORDER BY id)) FROM items i) AS items_md5,"
          + " (SELECT last_value FROM orders_id_seq) AS sequence";

  @Autowired Backups backups;

  /** orders (500 rows), items (2,000 rows, an index): the fingerprint before any backup. */
  JsonNode ordersAndItems(TestInstance db) {
    query(
        db,
        "CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2),"
            + " tags text[], meta jsonb, placed timestamptz DEFAULT now())");
    query(
        db,
        "CREATE TABLE items (id bigserial PRIMARY KEY, order_id int REFERENCES orders(id), sku text)");
    query(db, "CREATE INDEX items_sku ON items (sku)");
    query(
        db,
        "INSERT INTO orders (customer, total, tags, meta) SELECT 'c' || g, g * 1.5,"
            + " ARRAY['t' || g % 3], jsonb_build_object('n', g, 'quote', 'it''s') FROM generate_series(1, 500) g");
    query(
        db,
        "INSERT INTO items (order_id, sku) SELECT 1 + g % 500, 'sku-' || g FROM generate_series(1, 2000) g");
    JsonNode before = query(db, FINGERPRINT).at("/rows/0");
    assertThat(before.path("orders").asInt()).isEqualTo(500);
    return before;
  }

  /** Takes a backup and waits until it is available; its id. */
  String backupAndWait(TestInstance db) {
    String id =
        send(db, HttpMethod.POST, "/backups", "{\"retentionDays\":1}", 202)
            .path("backupId")
            .stringValue();
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> send(db, HttpMethod.GET, "/backups/" + id, null, 200),
                backup -> !backup.path("status").stringValue().equals("creating"));
    assertThat(done.path("status").stringValue()).as(done.toString()).isEqualTo("available");
    return id;
  }

  /** Takes a backup that ends failed; the backup as GET returns it. */
  JsonNode backupThatFails(TestInstance db) {
    String id =
        send(db, HttpMethod.POST, "/backups", "{\"retentionDays\":1}", 202)
            .path("backupId")
            .stringValue();
    JsonNode failed =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> send(db, HttpMethod.GET, "/backups/" + id, null, 200),
                backup -> !backup.path("status").stringValue().equals("creating"));
    assertThat(failed.path("status").stringValue()).isEqualTo("failed");
    return failed;
  }
}
