package dev.cumulus.function.containers.domain;

import dev.cumulus.platform.error.ApiException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** What a container function's request must satisfy; each failure a 400 naming the field. */
public final class ContainerFunctionRules {

  /** A DNS label, as a Kubernetes object name must be: the name also names containers and jobs. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?");

  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,254}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
  private static final int MAX_COMMAND_ARGS = 64;
  private static final int MAX_ENV = 64;
  private static final int MAX_ENV_VALUE = 4096;

  private ContainerFunctionRules() {}

  public static String name(String name) {
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("name is required");
    }
    if (!NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          "name must be 1-52 lower-case letters, digits or inner hyphens (a DNS label)");
    }
    return name;
  }

  public static String image(String image) {
    if (image == null || image.isBlank()) {
      throw ApiException.badRequest("image is required");
    }
    if (!IMAGE.matcher(image).matches()) {
      throw ApiException.badRequest("image must be an image reference such as nginx:alpine");
    }
    return image;
  }

  public static int replicas(Integer replicas, int max) {
    if (replicas == null) {
      return 1;
    }
    if (replicas < 1 || replicas > max) {
      throw ApiException.badRequest("replicas must be between 1 and " + max);
    }
    return replicas;
  }

  public static List<String> command(List<String> command) {
    if (command == null) {
      return null;
    }
    if (command.isEmpty() || command.size() > MAX_COMMAND_ARGS) {
      throw ApiException.badRequest(
          "command must have between 1 and " + MAX_COMMAND_ARGS + " arguments");
    }
    for (String arg : command) {
      if (arg == null || arg.length() > MAX_ENV_VALUE || arg.indexOf('\0') >= 0) {
        throw ApiException.badRequest("command arguments must be strings");
      }
    }
    return List.copyOf(command);
  }

  public static Map<String, String> env(Map<String, String> env) {
    if (env == null) {
      return Collections.emptySortedMap();
    }
    if (env.size() > MAX_ENV) {
      throw ApiException.badRequest("env may hold at most " + MAX_ENV + " variables");
    }
    for (var entry : env.entrySet()) {
      if (!ENV_NAME.matcher(entry.getKey()).matches()) {
        throw ApiException.badRequest("env name '" + entry.getKey() + "' is not a valid variable");
      }
      String value = entry.getValue();
      if (value == null || value.length() > MAX_ENV_VALUE || value.indexOf('\0') >= 0) {
        throw ApiException.badRequest(
            "env " + entry.getKey() + " must be a string of at most " + MAX_ENV_VALUE + " chars");
      }
    }
    // Sorted: answers list variables in one order, whatever order the request or jsonb had.
    return Collections.unmodifiableSortedMap(new TreeMap<>(env));
  }

  public static Resources resources(Resources resources) {
    if (resources == null) {
      return null;
    }
    if (resources.nanoCpus() < 0) {
      throw ApiException.badRequest("resources.cpu must be cores (0.5) or millicores (500m)");
    }
    if (resources.memoryBytes() < 0) {
      throw ApiException.badRequest("resources.memory must be at least 6Mi (128Mi, 1Gi, 256M)");
    }
    return resources;
  }

  /** Both fields or no credentials at all; each of a sane size, without control characters. */
  public static RegistryCredentials registryCredentials(RegistryCredentials credentials) {
    if (credentials == null) {
      return null;
    }
    if (!printable(credentials.username(), 256)) {
      throw ApiException.badRequest(
          "registry_credentials.username must be 1-256 printable characters");
    }
    if (!printable(credentials.password(), 4096)) {
      throw ApiException.badRequest(
          "registry_credentials.password must be 1-4096 printable characters");
    }
    return credentials;
  }

  private static boolean printable(String value, int max) {
    return value != null
        && !value.isEmpty()
        && value.length() <= max
        && value.chars().noneMatch(Character::isISOControl);
  }
}
