package dev.cumulus.auth.common.domain;

/**
 * Who made a change: a user (id and username), an API key ({@code key:<id>}, no user id), or the
 * service itself at start-up ({@link #SYSTEM}).
 */
public record Actor(Long userId, String username) {

  public static final Actor SYSTEM = new Actor(null, "system");
}
