package dev.cumulus.auth.user.application;

import reactor.core.publisher.Mono;

/**
 * Ends the sessions of a user whose password changed or who was deactivated. The session feature
 * implements it: sessions belong to users, so it builds on this feature and not the other way.
 */
public interface UserSessions {

  /** Revokes every refresh token of the user; how many were still live. Call in the change's tx. */
  Mono<Long> endAll(long userId);
}
