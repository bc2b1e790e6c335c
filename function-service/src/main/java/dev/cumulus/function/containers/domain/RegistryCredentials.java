package dev.cumulus.function.containers.domain;

/**
 * What a function's image is pulled with when its registry asks for credentials. Stored sealed,
 * never answered or logged: {@link #toString} leaves the password out.
 */
public record RegistryCredentials(String username, String password) {

  /**
   * The registry an image reference names, as Docker reads it: the first path component when it
   * looks like a host ({@code 127.0.0.1:5000}, {@code ghcr.io}, {@code localhost}), else Docker
   * Hub.
   */
  public static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash > 0) {
      String first = image.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return first;
      }
    }
    return "docker.io";
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=(hidden)]";
  }
}
