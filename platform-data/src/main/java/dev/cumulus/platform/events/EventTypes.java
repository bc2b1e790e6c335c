package dev.cumulus.platform.events;

import java.util.regex.Pattern;

/** Naming rules for CloudEvents: type {@code dev.cumulus.<service>.<entity>.<verb>.v1}. */
public final class EventTypes {

  private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]*");

  private EventTypes() {}

  public static String type(String service, String entity, String verb) {
    return "dev.cumulus." + word(service) + "." + word(entity) + "." + word(verb) + ".v1";
  }

  public static String source(String service) {
    return "/" + word(service);
  }

  /** The service name events are typed with: the application name without "-service". */
  public static String serviceName(String applicationName) {
    return applicationName.endsWith("-service")
        ? applicationName.substring(0, applicationName.length() - "-service".length())
        : applicationName;
  }

  private static String word(String part) {
    if (part == null || !WORD.matcher(part).matches()) {
      throw new IllegalArgumentException("Event type part must match " + WORD + ": " + part);
    }
    return part;
  }
}
