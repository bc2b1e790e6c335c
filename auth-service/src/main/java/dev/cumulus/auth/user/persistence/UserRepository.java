package dev.cumulus.auth.user.persistence;

import dev.cumulus.auth.user.domain.Role;
import dev.cumulus.auth.user.domain.User;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class UserRepository {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, tenant_id, username, email, name, first_name, last_name, password_hash, role,"
          + " platform_admin, permissions, preferences::text AS preferences, is_active,"
          + " last_login, created_at, updated_at";

  private final DatabaseClient db;
  private final ObjectMapper json;

  public UserRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** A user to insert (no id or timestamps yet). */
  public record NewUser(
      String tenantId,
      String username,
      String email,
      String name,
      String firstName,
      String lastName,
      String passwordHash,
      Role role,
      boolean platformAdmin,
      List<String> permissions) {}

  public Mono<User> insert(NewUser user) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO users (tenant_id, username, email, name, first_name, last_name,"
                    + " password_hash, role, platform_admin, permissions)"
                    + " VALUES (:tenant, :username, :email, :name, :first, :last, :hash, :role,"
                    + " :platformAdmin, :permissions) RETURNING "
                    + COLUMNS)
            .bind("tenant", user.tenantId())
            .bind("username", user.username())
            .bind("name", nonNull(user.name()))
            .bind("first", nonNull(user.firstName()))
            .bind("last", nonNull(user.lastName()))
            .bind("role", user.role().id())
            .bind("platformAdmin", user.platformAdmin())
            .bind("permissions", user.permissions().toArray(String[]::new));
    spec = Rows.bindNullable(spec, "email", user.email(), String.class);
    spec = Rows.bindNullable(spec, "hash", user.passwordHash(), String.class);
    return spec.map(this::user).one();
  }

  /** Writes every mutable field of the user. */
  public Mono<User> update(User user) {
    GenericExecuteSpec spec =
        db.sql(
                "UPDATE users SET username = :username, email = :email, name = :name,"
                    + " first_name = :first, last_name = :last, password_hash = :hash,"
                    + " role = :role, permissions = :permissions,"
                    + " preferences = CAST(:preferences AS jsonb), is_active = :active,"
                    + " updated_at = now() WHERE id = :id AND tenant_id = :tenant RETURNING "
                    + COLUMNS)
            .bind("id", user.id())
            .bind("tenant", user.tenantId())
            .bind("username", user.username())
            .bind("name", nonNull(user.name()))
            .bind("first", nonNull(user.firstName()))
            .bind("last", nonNull(user.lastName()))
            .bind("role", user.role().id())
            .bind("permissions", user.permissions().toArray(String[]::new))
            .bind("preferences", json.writeValueAsString(user.preferences()))
            .bind("active", user.active());
    spec = Rows.bindNullable(spec, "email", user.email(), String.class);
    spec = Rows.bindNullable(spec, "hash", user.passwordHash(), String.class);
    return spec.map(this::user).one();
  }

  /** Replaces a user's password hash with one of the same password (stronger parameters). */
  public Mono<Long> replacePasswordHash(long id, String oldHash, String newHash) {
    return db.sql("UPDATE users SET password_hash = :new WHERE id = :id AND password_hash = :old")
        .bind("id", id)
        .bind("old", oldHash)
        .bind("new", newHash)
        .fetch()
        .rowsUpdated();
  }

  public Mono<User> recordLogin(long id) {
    return db.sql("UPDATE users SET last_login = now() WHERE id = :id RETURNING " + COLUMNS)
        .bind("id", id)
        .map(this::user)
        .one();
  }

  public Mono<Long> delete(String tenantId, long id) {
    return db.sql("DELETE FROM users WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .fetch()
        .rowsUpdated();
  }

  public Mono<User> findById(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id")
        .bind("id", id)
        .map(this::user)
        .one();
  }

  /** The tenant's user with this id; empty for another tenant's user. */
  public Mono<User> findInTenant(String tenantId, long id) {
    return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenantId)
        .map(this::user)
        .one();
  }

  public Mono<User> findByUsername(String tenantId, String username) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM users WHERE tenant_id = :tenant AND lower(username) = lower(:username)")
        .bind("tenant", tenantId)
        .bind("username", username)
        .map(this::user)
        .one();
  }

  /**
   * Users with this e-mail in every tenant (seed 002 logs in by e-mail only), oldest first, at most
   * {@code limit}.
   */
  public Flux<User> findByEmail(String email, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM users WHERE lower(email) = lower(:email) ORDER BY id LIMIT :limit")
        .bind("email", email)
        .bind("limit", limit)
        .map(this::user)
        .all();
  }

  /** Users with this e-mail in one tenant. */
  public Flux<User> findByEmailInTenant(String tenantId, String email) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM users WHERE tenant_id = :tenant AND lower(email) = lower(:email)"
                + " ORDER BY id")
        .bind("tenant", tenantId)
        .bind("email", email)
        .map(this::user)
        .all();
  }

  public Flux<User> findByTenant(String tenantId, int offset, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM users WHERE tenant_id = :tenant ORDER BY id LIMIT :limit OFFSET :offset")
        .bind("tenant", tenantId)
        .bind("limit", limit)
        .bind("offset", offset)
        .map(this::user)
        .all();
  }

  public Mono<Long> countByTenant(String tenantId) {
    return db.sql("SELECT count(*) FROM users WHERE tenant_id = :tenant")
        .bind("tenant", tenantId)
        .map(row -> row.get(0, Long.class))
        .one();
  }

  public Mono<Boolean> usernameTaken(String tenantId, String username) {
    return findByUsername(tenantId, username).hasElement();
  }

  private User user(Readable row) {
    return new User(
        row.get("id", Long.class),
        row.get("tenant_id", String.class),
        row.get("username", String.class),
        row.get("email", String.class),
        row.get("name", String.class),
        row.get("first_name", String.class),
        row.get("last_name", String.class),
        row.get("password_hash", String.class),
        Role.parse(row.get("role", String.class)).orElse(Role.USER),
        Boolean.TRUE.equals(row.get("platform_admin", Boolean.class)),
        Rows.strings(row, "permissions"),
        json.readValue(row.get("preferences", String.class), MAP),
        Boolean.TRUE.equals(row.get("is_active", Boolean.class)),
        Rows.instant(row, "last_login"),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
