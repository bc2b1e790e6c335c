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

  public UserAccounts(UserRepository users) {
    this.users = users;
  }

  public Mono<User> findById(long id) {
    return users.findById(id);
  }

  public Mono<User> findByUsername(String tenantId, String username) {
    return users.findByUsername(tenantId, username);
  }

  /** Users of every tenant with this e-mail address (at most 20). */
  public Flux<User> findByEmail(String email) {
    return users.findByEmail(email);
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
