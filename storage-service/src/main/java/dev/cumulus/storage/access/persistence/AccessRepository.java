package dev.cumulus.storage.access.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.storage.access.domain.AccessControlList;
import dev.cumulus.storage.access.domain.BucketAccess;
import dev.cumulus.storage.access.domain.BucketPolicy;
import dev.cumulus.storage.access.domain.Grant;
import dev.cumulus.storage.access.domain.Grantee;
import dev.cumulus.storage.access.domain.ObjectOwnership;
import dev.cumulus.storage.access.domain.Permission;
import dev.cumulus.storage.access.domain.PublicAccessBlock;
import io.r2dbc.spi.Readable;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Buckets' access settings ({@code storage_bucket_access}) and objects' ACLs. */
@Repository
public class AccessRepository {

  private static final Logger log = LoggerFactory.getLogger(AccessRepository.class);

  /** Stored in {@code object_ownership} once the ownership controls are deleted. */
  static final String NO_OWNERSHIP = "none";

  private record StoredGrant(String id, String uri, String permission) {}

  private record StoredAcl(String owner, List<StoredGrant> grants) {}

  private final DatabaseClient db;
  private final ObjectMapper json;

  public AccessRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** The access settings of an instance's bucket, by name, in one query; empty: no bucket. */
  public Mono<BucketAccess> find(String serviceId, String bucket) {
    return db.sql(
            """
            SELECT b.id, b.public_access, a.object_ownership, a.acl, a.policy,
                   a.block_public_acls, a.ignore_public_acls, a.block_public_policy,
                   a.restrict_public_buckets
              FROM storage_buckets b LEFT JOIN storage_bucket_access a ON a.bucket_id = b.id
             WHERE b.service_id = :service AND b.name = :name
            """)
        .bind("service", serviceId)
        .bind("name", bucket)
        .map(row -> access(row, serviceId, bucket))
        .one();
  }

  private BucketAccess access(Readable row, String owner, String bucket) {
    String ownership = row.get("object_ownership", String.class);
    String acl = JsonColumns.text(row, "acl");
    String policy = row.get("policy", String.class);
    Boolean blockAcls = row.get("block_public_acls", Boolean.class);
    PublicAccessBlock block =
        blockAcls == null
            ? null
            : new PublicAccessBlock(
                blockAcls,
                Boolean.TRUE.equals(row.get("ignore_public_acls", Boolean.class)),
                Boolean.TRUE.equals(row.get("block_public_policy", Boolean.class)),
                Boolean.TRUE.equals(row.get("restrict_public_buckets", Boolean.class)));
    return new BucketAccess(
        row.get("id", UUID.class),
        bucket,
        owner,
        Boolean.TRUE.equals(row.get("public_access", Boolean.class)),
        ownership == null ? ObjectOwnership.BUCKET_OWNER_ENFORCED : ObjectOwnership.of(ownership),
        acl == null ? AccessControlList.ownerOnly(owner) : parseAcl(acl),
        policy == null ? null : compiled(policy, bucket),
        block);
  }

  /** A stored policy was checked when it was put; one that no longer compiles counts as none. */
  private static BucketPolicy compiled(String policy, String bucket) {
    try {
      return BucketPolicy.parse(policy, bucket);
    } catch (RuntimeException e) {
      log.warn("Stored policy of bucket {} no longer compiles: {}", bucket, e.getMessage());
      return null;
    }
  }

  /** Whether its ownership controls were deleted ({@link BucketAccess#ownership} null). */
  public Mono<Void> setOwnership(UUID bucketId, ObjectOwnership ownership) {
    return upsert(
        bucketId, "object_ownership", ownership == null ? NO_OWNERSHIP : ownership.value());
  }

  public Mono<Void> setAcl(UUID bucketId, AccessControlList acl) {
    return db.sql(
            """
            INSERT INTO storage_bucket_access (bucket_id, acl) VALUES (:b, CAST(:v AS jsonb))
            ON CONFLICT (bucket_id) DO UPDATE SET acl = EXCLUDED.acl, updated_at = now()
            """)
        .bind("b", bucketId)
        .bind("v", write(acl))
        .then();
  }

  /** Puts the policy; null removes it. */
  public Mono<Void> setPolicy(UUID bucketId, String policy) {
    return upsert(bucketId, "policy", policy);
  }

  /** Puts the configuration; null removes it. */
  public Mono<Void> setPublicAccessBlock(UUID bucketId, PublicAccessBlock block) {
    var spec =
        db.sql(
                """
                INSERT INTO storage_bucket_access (bucket_id, block_public_acls,
                    ignore_public_acls, block_public_policy, restrict_public_buckets)
                VALUES (:b, :acls, :ignore, :policy, :restrict)
                ON CONFLICT (bucket_id) DO UPDATE SET
                  block_public_acls = EXCLUDED.block_public_acls,
                  ignore_public_acls = EXCLUDED.ignore_public_acls,
                  block_public_policy = EXCLUDED.block_public_policy,
                  restrict_public_buckets = EXCLUDED.restrict_public_buckets,
                  updated_at = now()
                """)
            .bind("b", bucketId);
    spec = bindNullable(spec, "acls", block == null ? null : block.blockPublicAcls());
    spec = bindNullable(spec, "ignore", block == null ? null : block.ignorePublicAcls());
    spec = bindNullable(spec, "policy", block == null ? null : block.blockPublicPolicy());
    spec = bindNullable(spec, "restrict", block == null ? null : block.restrictPublicBuckets());
    return spec.then();
  }

  private static DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, Boolean value) {
    return value == null ? spec.bindNull(name, Boolean.class) : spec.bind(name, value);
  }

  private Mono<Void> upsert(UUID bucketId, String column, String value) {
    // column: a constant of this class, never input
    var spec =
        db.sql(
                "INSERT INTO storage_bucket_access (bucket_id, "
                    + column
                    + ") VALUES (:b, :v) ON CONFLICT (bucket_id) DO UPDATE SET "
                    + column
                    + " = EXCLUDED."
                    + column
                    + ", updated_at = now()")
            .bind("b", bucketId);
    return (value == null ? spec.bindNull("v", String.class) : spec.bind("v", value)).then();
  }

  /** The ACL of one version of an object; empty when it has the default (owner only). */
  public Mono<AccessControlList> objectAcl(UUID bucketId, String key, String versionId) {
    return db.sql(
            "SELECT acl FROM storage_object_acls"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v")
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .map(row -> parseAcl(JsonColumns.text(row, "acl")))
        .one();
  }

  public Mono<Void> setObjectAcl(
      UUID bucketId, String key, String versionId, AccessControlList acl) {
    return db.sql(
            """
            INSERT INTO storage_object_acls (bucket_id, object_key, version_id, acl)
            VALUES (:b, :k, :v, CAST(:acl AS jsonb))
            ON CONFLICT (bucket_id, object_key, version_id) DO UPDATE SET acl = EXCLUDED.acl
            """)
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .bind("acl", write(acl))
        .then();
  }

  public Mono<Void> deleteObjectAcl(UUID bucketId, String key, String versionId) {
    return db.sql(
            "DELETE FROM storage_object_acls"
                + " WHERE bucket_id = :b AND object_key = :k AND version_id = :v")
        .bind("b", bucketId)
        .bind("k", key)
        .bind("v", versionId)
        .then();
  }

  /** Moves a multipart upload's ACL onto the version its Complete made. */
  public Mono<Void> moveObjectAcl(UUID bucketId, String key, String from, String to) {
    return db.sql(
            """
            WITH moved AS (
              DELETE FROM storage_object_acls
               WHERE bucket_id = :b AND object_key = :k AND version_id = :from RETURNING acl)
            INSERT INTO storage_object_acls (bucket_id, object_key, version_id, acl)
            SELECT :b, :k, :to, acl FROM moved
            ON CONFLICT (bucket_id, object_key, version_id) DO UPDATE SET acl = EXCLUDED.acl
            """)
        .bind("b", bucketId)
        .bind("k", key)
        .bind("from", from)
        .bind("to", to)
        .then();
  }

  /** Drops every object ACL of the bucket (ACLs stop counting under BucketOwnerEnforced). */
  public Mono<Void> deleteObjectAcls(UUID bucketId) {
    return db.sql("DELETE FROM storage_object_acls WHERE bucket_id = :b")
        .bind("b", bucketId)
        .then();
  }

  private String write(AccessControlList acl) {
    return json.writeValueAsString(
        new StoredAcl(
            acl.owner(),
            acl.grants().stream()
                .map(
                    g ->
                        new StoredGrant(g.grantee().id(), g.grantee().uri(), g.permission().name()))
                .toList()));
  }

  private AccessControlList parseAcl(String stored) {
    StoredAcl acl = json.readValue(stored, StoredAcl.class);
    return new AccessControlList(
        acl.owner(),
        acl.grants().stream()
            .map(g -> new Grant(new Grantee(g.id(), g.uri()), Permission.valueOf(g.permission())))
            .toList());
  }
}
