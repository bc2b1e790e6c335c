package dev.cumulus.auth.s3credential.persistence;

import dev.cumulus.auth.s3credential.domain.S3Credential;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** S3 access key pairs; secrets are stored AES-GCM encrypted under the master key. */
@Repository
public class S3CredentialRepository {

  private static final String COLUMNS =
      "access_key_id, tenant_id, service_id, created_by, created_at, revoked_at";

  private final DatabaseClient db;
  private final MasterKey masterKey;

  public S3CredentialRepository(DatabaseClient db, MasterKey masterKey) {
    this.db = db;
    this.masterKey = masterKey;
  }

  /** A usable pair with its decrypted secret. */
  public record WithSecret(S3Credential credential, String secret) {}

  public Mono<S3Credential> insert(S3Credential credential, String secret) {
    byte[] sealed =
        masterKey.encrypt(
            secret.getBytes(StandardCharsets.UTF_8), associatedData(credential.accessKeyId()));
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO s3_credentials (access_key_id, tenant_id, service_id,"
                    + " secret_encrypted, created_by) VALUES (:id, :tenant, :service, :secret,"
                    + " :createdBy) RETURNING "
                    + COLUMNS)
            .bind("id", credential.accessKeyId())
            .bind("tenant", credential.tenantId())
            .bind("service", credential.serviceId())
            .bind("secret", ByteBuffer.wrap(sealed));
    spec = Rows.bindNullable(spec, "createdBy", credential.createdBy(), String.class);
    return spec.map(S3CredentialRepository::credential).one();
  }

  /** The instance's pairs that are not revoked, oldest first. */
  public Flux<S3Credential> findActiveByService(String tenantId, UUID serviceId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM s3_credentials WHERE tenant_id = :tenant AND service_id = :service"
                + " AND revoked_at IS NULL ORDER BY created_at, access_key_id")
        .bind("tenant", tenantId)
        .bind("service", serviceId)
        .map(S3CredentialRepository::credential)
        .all();
  }

  /** A pair that is not revoked and whose instance still exists, with its secret. */
  public Mono<WithSecret> findUsable(String accessKeyId) {
    return db.sql(
            "SELECT c.access_key_id, c.tenant_id, c.service_id, c.created_by, c.created_at,"
                + " c.revoked_at, c.secret_encrypted FROM s3_credentials c"
                + " JOIN service_instances i ON i.id = c.service_id AND i.tenant_id = c.tenant_id"
                + " WHERE c.access_key_id = :id AND c.revoked_at IS NULL")
        .bind("id", accessKeyId)
        .map(
            row -> {
              ByteBuffer buffer = row.get("secret_encrypted", ByteBuffer.class);
              byte[] sealed = new byte[buffer.remaining()];
              buffer.get(sealed);
              byte[] secret = masterKey.decrypt(sealed, associatedData(accessKeyId));
              return new WithSecret(credential(row), new String(secret, StandardCharsets.UTF_8));
            })
        .one();
  }

  /** A usable pair's tenant and instance. */
  public record Usable(String tenantId, UUID serviceId) {}

  /**
   * The tenant and instance of a usable (unrevoked, instance alive) pair, without reading its
   * secret.
   */
  public Mono<Usable> findUsableOwner(String accessKeyId) {
    return db.sql(
            "SELECT c.tenant_id, c.service_id FROM s3_credentials c"
                + " JOIN service_instances i ON i.id = c.service_id AND i.tenant_id = c.tenant_id"
                + " WHERE c.access_key_id = :id AND c.revoked_at IS NULL")
        .bind("id", accessKeyId)
        .map(
            row ->
                new Usable(row.get("tenant_id", String.class), row.get("service_id", UUID.class)))
        .one();
  }

  /** Revokes one pair of the instance; 0 when there is no such active pair. */
  public Mono<Long> revoke(String tenantId, UUID serviceId, String accessKeyId) {
    return db.sql(
            "UPDATE s3_credentials SET revoked_at = now() WHERE access_key_id = :id"
                + " AND tenant_id = :tenant AND service_id = :service AND revoked_at IS NULL")
        .bind("id", accessKeyId)
        .bind("tenant", tenantId)
        .bind("service", serviceId)
        .fetch()
        .rowsUpdated();
  }

  /** Revokes every active pair of the instance; returns their access key ids. */
  public Flux<String> revokeForService(UUID serviceId) {
    return db.sql(
            "UPDATE s3_credentials SET revoked_at = now()"
                + " WHERE service_id = :service AND revoked_at IS NULL RETURNING access_key_id")
        .bind("service", serviceId)
        .map(row -> row.get("access_key_id", String.class))
        .all();
  }

  /** Binds the ciphertext to its row: a secret copied onto another access key id does not open. */
  public static String associatedData(String accessKeyId) {
    return "s3:" + accessKeyId;
  }

  private static S3Credential credential(Readable row) {
    return new S3Credential(
        row.get("access_key_id", String.class),
        row.get("tenant_id", String.class),
        row.get("service_id", UUID.class),
        row.get("created_by", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "revoked_at"));
  }
}
