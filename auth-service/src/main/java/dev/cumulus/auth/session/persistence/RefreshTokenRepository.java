package dev.cumulus.auth.session.persistence;

import dev.cumulus.auth.session.domain.RefreshToken;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class RefreshTokenRepository {

  private final DatabaseClient db;

  public RefreshTokenRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(
      String tokenHash, UUID familyId, long userId, String tenantId, Instant expiresAt) {
    return db.sql(
            "INSERT INTO refresh_tokens (token_hash, family_id, user_id, tenant_id, expires_at)"
                + " VALUES (:hash, :family, :user, :tenant, :expires)")
        .bind("hash", tokenHash)
        .bind("family", familyId)
        .bind("user", userId)
        .bind("tenant", tenantId)
        .bind("expires", expiresAt.atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Locks the row: two concurrent refreshes with one token cannot both rotate it. */
  public Mono<RefreshToken> findForUpdate(String tokenHash) {
    return db.sql(
            "SELECT token_hash, family_id, user_id, tenant_id, expires_at, rotated_at, revoked_at"
                + " FROM refresh_tokens WHERE token_hash = :hash FOR UPDATE")
        .bind("hash", tokenHash)
        .map(RefreshTokenRepository::token)
        .one();
  }

  public Mono<Long> markRotated(String tokenHash) {
    return db.sql("UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = :hash")
        .bind("hash", tokenHash)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> revokeFamily(UUID familyId) {
    return db.sql(
            "UPDATE refresh_tokens SET revoked_at = now()"
                + " WHERE family_id = :family AND revoked_at IS NULL")
        .bind("family", familyId)
        .fetch()
        .rowsUpdated();
  }

  public Mono<Long> revokeUser(long userId) {
    return db.sql(
            "UPDATE refresh_tokens SET revoked_at = now()"
                + " WHERE user_id = :user AND revoked_at IS NULL")
        .bind("user", userId)
        .fetch()
        .rowsUpdated();
  }

  /** Forgets tokens that expired more than a day ago (reuse detection needs no older ones). */
  public Mono<Long> deleteExpired() {
    return db.sql("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'")
        .fetch()
        .rowsUpdated();
  }

  private static RefreshToken token(Readable row) {
    return new RefreshToken(
        row.get("token_hash", String.class),
        row.get("family_id", UUID.class),
        row.get("user_id", Long.class),
        row.get("tenant_id", String.class),
        Rows.instant(row, "expires_at"),
        Rows.instant(row, "rotated_at"),
        Rows.instant(row, "revoked_at"));
  }
}
