package dev.cumulus.updater.registry.domain;

/** A user name and password (or token) for a private registry. */
public record RegistryCredentials(String username, String password) {

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***]";
  }
}
