package dev.cumulus.auth.user.application;

import dev.cumulus.auth.user.domain.Role;
import dev.cumulus.auth.user.domain.User;
import dev.cumulus.auth.user.persistence.UserRepository;
import dev.cumulus.auth.user.persistence.UserRepository.NewUser;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Users as sign-in and start-up see them, before there is a caller: the session feature looks them
 * up and records logins, the bootstrap creates the platform administrator. {@link UserService} is
 * the API for callers.
 */
@Service
public class UserAccounts {

  private final UserRepository users;
  private final PasswordHasher hasher;

  public UserAccounts(UserRepository users, PasswordHasher hasher) {
    this.users = users;
    this.hasher = hasher;
  }

  public Mono<User> findById(long id) {
    return users.findById(id);
  }

  public Mono<User> findByUsername(String tenantId, String username) {
    return users.findByUsername(tenantId, username);
  }

  /** Users of every tenant with this e-mail address, oldest first, at most {@code limit}. */
  public Flux<User> findByEmail(String email, int limit) {
    return users.findByEmail(email, limit);
  }

  /** Users of one tenant with this e-mail address. */
  public Flux<User> findByEmailInTenant(String tenantId, String email) {
    return users.findByEmailInTenant(tenantId, email);
  }

  /**
   * After a login with the right password: a hash made with weaker parameters than today's is
   * replaced by a new hash of the same password (unless the password changed meanwhile).
   */
  public Mono<Void> strengthenHash(User user, String password) {
    if (!hasher.needsRehash(user.passwordHash())) {
      return Mono.empty();
    }
    return hasher
        .hash(password)
        .flatMap(hash -> users.replacePasswordHash(user.id(), user.passwordHash(), hash))
        .then();
  }

  /** Sets the user's last login to now; the user as it is then. */
  public Mono<User> recordLogin(long id) {
    return users.recordLogin(id);
  }

  /** The first administrator of a tenant, with every permission; call in a transaction. */
  public Mono<User> createAdministrator(
      String tenantId, String username, String email, String passwordHash) {
    return users.insert(
        new NewUser(
            tenantId,
            username,
            email,
            "Administrator",
            null,
            null,
            passwordHash,
            Role.ADMIN,
            true,
            List.of("*")));
  }
}
