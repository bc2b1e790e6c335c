package dev.cumulus.auth.keys.persistence;

import dev.cumulus.auth.keys.domain.SigningKey;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Signing keys; private keys are stored AES-GCM encrypted under the master key. */
@Repository
public class SigningKeyRepository {

  // Arbitrary constant: the advisory lock serialising key generation across instances.
  private static final long KEY_LOCK = 0x6375_6d75_6c75_7301L;

  private final DatabaseClient db;
  private final MasterKey masterKey;

  public SigningKeyRepository(DatabaseClient db, MasterKey masterKey) {
    this.db = db;
    this.masterKey = masterKey;
  }

  /** Holds a transaction-scoped advisory lock: call inside a transaction. */
  public Mono<Void> lockForChange() {
    return db.sql("SELECT pg_advisory_xact_lock(:lock)")
        .bind("lock", KEY_LOCK)
        .map(row -> Boolean.TRUE)
        .all()
        .then();
  }

  /** Keys whose tokens may still be valid, newest first. */
  public Flux<SigningKey> findPublished() {
    return db.sql(
            "SELECT kid, public_key, private_key, created_at, retired_at, not_after"
                + " FROM signing_keys WHERE not_after IS NULL OR not_after > now()"
                + " ORDER BY created_at DESC")
        .map(this::key)
        .all();
  }

  public Mono<SigningKey> findActive() {
    return db.sql(
            "SELECT kid, public_key, private_key, created_at, retired_at, not_after"
                + " FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1")
        .map(this::key)
        .one();
  }

  public Mono<Void> insert(SigningKey key) {
    return db.sql(
            "INSERT INTO signing_keys (kid, algorithm, public_key, private_key, created_at)"
                + " VALUES (:kid, 'RS256', :public, :private, :created)")
        .bind("kid", key.kid())
        .bind("public", ByteBuffer.wrap(key.publicKey().getEncoded()))
        .bind(
            "private",
            ByteBuffer.wrap(
                masterKey.encrypt(key.privateKey().getEncoded(), associatedData(key.kid()))))
        .bind("created", key.createdAt().atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Retires every active key; tokens they signed stay verifiable until {@code notAfter}. */
  public Mono<Long> retireActive(Instant retiredAt, Instant notAfter) {
    return db.sql(
            "UPDATE signing_keys SET retired_at = :retired, not_after = :notAfter"
                + " WHERE retired_at IS NULL")
        .bind("retired", retiredAt.atOffset(ZoneOffset.UTC))
        .bind("notAfter", notAfter.atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated();
  }

  private SigningKey key(Readable row) {
    String kid = row.get("kid", String.class);
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      RSAPublicKey publicKey =
          (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(bytes(row, "public_key")));
      RSAPrivateKey privateKey =
          (RSAPrivateKey)
              rsa.generatePrivate(
                  new PKCS8EncodedKeySpec(
                      masterKey.decrypt(bytes(row, "private_key"), associatedData(kid))));
      return new SigningKey(
          kid,
          publicKey,
          privateKey,
          Rows.instant(row, "created_at"),
          Rows.instant(row, "retired_at"),
          Rows.instant(row, "not_after"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Signing key " + kid + " is unreadable", e);
    }
  }

  /** Binds a sealed private key to its key id: moved onto another row, it does not open. */
  public static String associatedData(String kid) {
    return kid;
  }

  private static byte[] bytes(Readable row, String column) {
    ByteBuffer buffer = row.get(column, ByteBuffer.class);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
