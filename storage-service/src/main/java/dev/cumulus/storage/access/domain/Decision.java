package dev.cumulus.storage.access.domain;

/** What a policy says of a request: allowed, explicitly denied, or nothing (implicit deny). */
public enum Decision {
  ALLOW,
  DENY,
  NONE
}
