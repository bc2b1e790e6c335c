package dev.cumulus.auth.session.application;

import dev.cumulus.auth.session.persistence.RefreshTokenRepository;
import dev.cumulus.auth.user.application.UserSessions;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What other features ask of refresh tokens: the user feature ends a user's sessions ({@link
 * UserSessions}), start-up maintenance purges long-expired tokens.
 */
@Component
public class RefreshTokenHousekeeping implements UserSessions {

  private final RefreshTokenRepository refreshTokens;

  public RefreshTokenHousekeeping(RefreshTokenRepository refreshTokens) {
    this.refreshTokens = refreshTokens;
  }

  @Override
  public Mono<Long> endAll(long userId) {
    return refreshTokens.revokeUser(userId);
  }

  /** Deletes tokens expired for more than a day; how many. */
  public Mono<Long> deleteExpired() {
    return refreshTokens.deleteExpired();
  }
}
