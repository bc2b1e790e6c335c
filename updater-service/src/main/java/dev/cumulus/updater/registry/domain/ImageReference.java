package dev.cumulus.updater.registry.domain;

/**
 * An image reference split the way the Registry API needs it: {@code 127.0.0.1:5000/team/app:v2} is
 * registry {@code 127.0.0.1:5000}, repository {@code team/app}, tag {@code v2}. Docker Hub's short
 * names ({@code nginx}) live at {@code registry-1.docker.io} as {@code library/nginx}.
 *
 * @param digest set for {@code repo@sha256:...} references, which name one manifest
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  public static final String DOCKER_HUB = "docker.io";

  public static ImageReference parse(String image) {
    String rest = image.trim();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** The host the Registry API answers at ({@code registry-1.docker.io} for Docker Hub). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** The tag, or the digest when the reference pins one: what the manifest URL names. */
  public String reference() {
    return digest != null ? digest : tag;
  }

  /** The repository as engines name it: {@code 127.0.0.1:5000/team/app}, or {@code nginx}. */
  public String engineRepository() {
    if (registry.equals(DOCKER_HUB)) {
      return repository.startsWith("library/") ? repository.substring(8) : repository;
    }
    return registry + "/" + repository;
  }

  /** The same repository pinned to a digest. */
  public String pinned(String manifestDigest) {
    return engineRepository() + "@" + manifestDigest;
  }

  /** {@code repo:tag} (or {@code repo@digest}) as engines write it. */
  public String canonical() {
    return digest != null ? pinned(digest) : engineRepository() + ":" + tag;
  }
}
