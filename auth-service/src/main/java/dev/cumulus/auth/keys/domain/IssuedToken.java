package dev.cumulus.auth.keys.domain;

import java.time.Instant;

/** A signed access token and when it expires. */
public record IssuedToken(String token, String id, Instant expiresAt, long expiresInSeconds) {}
