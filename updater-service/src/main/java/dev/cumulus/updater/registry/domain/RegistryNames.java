package dev.cumulus.updater.registry.domain;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Registry hosts as logins are stored under: lower case, Docker Hub's aliases as one name. */
public final class RegistryNames {

  private static final Pattern HOST =
      Pattern.compile(
          "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\\d{1,5})?");
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private RegistryNames() {}

  /** The stored name of a registry host, or null when it is no host[:port]. */
  public static String normalize(String registry) {
    if (registry == null) {
      return null;
    }
    String name = registry.trim().toLowerCase(Locale.ROOT);
    if (DOCKER_HUB.contains(name)) {
      return ImageReference.DOCKER_HUB;
    }
    return name.length() <= 255 && HOST.matcher(name).matches() ? name : null;
  }
}
