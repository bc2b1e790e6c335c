package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.crypto.MasterKeyRotation.Outcome;
import dev.cumulus.platform.crypto.MasterKeyRotation.Sealed;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/** A master key rotation over a real PostgreSQL table, through {@link SealedColumn}. */
class MasterKeyRotationIT {

  private final MasterKey old = MasterKey.fromBase64(MasterKey.generateBase64(), "TEST_MASTER_KEY");
  private final MasterKey fresh =
      MasterKey.fromBase64(MasterKey.generateBase64(), "TEST_MASTER_KEY");
  private final MasterKey stranger = MasterKey.fromBase64(MasterKey.generateBase64());
  private DatabaseClient db;
  private SealedColumn column;

  @BeforeEach
  void table() {
    PostgresServer pg = TestInfrastructure.postgres();
    String database = pg.createDatabase("platform_rotation");
    db = DatabaseClient.create(ConnectionFactories.get(pg.r2dbcOptions(database).build()));
    run("DROP TABLE IF EXISTS secrets");
    run("CREATE TABLE secrets (name text PRIMARY KEY, sealed bytea NOT NULL)");
    column = new SealedColumn(db, "secrets", "secrets", "name", "sealed", id -> "secret:" + id);
  }

  @Test
  void resealsWhatPreviousKeysSealedAndLeavesTheRest() {
    insert("a", old, "alpha");
    insert("b", old, "bravo");
    insert("c", fresh, "charlie");
    insert("lost", stranger, "lost");
    byte[] strangerBefore = stored().get("lost");
    MasterKey rotated = fresh.withPrevious(List.of(old));

    List<Outcome> first = rotation(rotated).run().block(Duration.ofSeconds(10));

    assertThat(first).containsExactly(new Outcome("secrets", 2, 1, 1));
    Map<String, byte[]> after = stored();
    // The new key alone opens every readable value now, each still bound to its own row.
    assertThat(open(fresh, "a", after)).isEqualTo("alpha");
    assertThat(open(fresh, "b", after)).isEqualTo("bravo");
    assertThat(open(fresh, "c", after)).isEqualTo("charlie");
    assertThat(after.get("lost")).isEqualTo(strangerBefore);

    List<Outcome> again = rotation(rotated).run().block(Duration.ofSeconds(10));
    assertThat(again).containsExactly(new Outcome("secrets", 0, 3, 1));
  }

  @Test
  void withoutPreviousKeysNothingIsReadOrWritten() {
    insert("a", old, "alpha");
    byte[] before = stored().get("a");

    assertThat(rotation(fresh).run().block(Duration.ofSeconds(10))).isEmpty();
    assertThat(stored().get("a")).isEqualTo(before);
  }

  @Test
  void aValueChangedSinceItWasReadIsNotOverwritten() {
    insert("a", old, "alpha");
    Sealed read = column.all().blockFirst(Duration.ofSeconds(10));
    byte[] changed = fresh.encrypt(bytes("changed meanwhile"), "secret:a");
    run("UPDATE secrets SET sealed = decode('" + hex(changed) + "', 'hex') WHERE name = 'a'");

    Boolean replaced =
        column
            .replace(read, fresh.encrypt(bytes("alpha"), "secret:a"))
            .block(Duration.ofSeconds(10));

    assertThat(replaced).isFalse();
    assertThat(open(fresh, "a", stored())).isEqualTo("changed meanwhile");
  }

  private MasterKeyRotation rotation(MasterKey key) {
    return new MasterKeyRotation(key, "TEST_PREVIOUS_MASTER_KEYS", List.of(column));
  }

  private void insert(String name, MasterKey key, String secret) {
    db.sql("INSERT INTO secrets (name, sealed) VALUES (:n, :s)")
        .bind("n", name)
        .bind("s", key.encrypt(bytes(secret), "secret:" + name))
        .then()
        .block(Duration.ofSeconds(10));
  }

  private Map<String, byte[]> stored() {
    return column.all().collectList().block(Duration.ofSeconds(10)).stream()
        .collect(Collectors.toMap(Sealed::id, Sealed::ciphertext));
  }

  private static String open(MasterKey key, String name, Map<String, byte[]> stored) {
    return new String(
        key.decrypt(stored.get(name), "secret:" + name), java.nio.charset.StandardCharsets.UTF_8);
  }

  private void run(String sql) {
    db.sql(sql).then().block(Duration.ofSeconds(10));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
