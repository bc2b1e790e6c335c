package dev.cumulus.updater.registry.domain;

/**
 * A user name and password (or token) for a private registry.
 *
 * @param loginId the stored login they come from: registry tokens fetched with them are cached
 *     under it, so one tenant's token never serves another
 */
public record RegistryCredentials(String loginId, String username, String password) {

  @Override
  public String toString() {
    return "RegistryCredentials[loginId=" + loginId + ", username=" + username + ", password=***]";
  }
}
