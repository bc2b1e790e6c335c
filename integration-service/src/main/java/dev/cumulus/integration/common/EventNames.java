package dev.cumulus.integration.common;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name tenants see for a platform event: {@code dev.cumulus.storage.object.created.v1} is
 * {@code object.created}, auth-service's {@code dev.cumulus.auth.service.created.v1} is seed 000's
 * {@code service.created}.
 */
public final class EventNames {

  private static final Pattern TYPE =
      Pattern.compile(
          "dev\\.cumulus\\.([a-z][a-z0-9-]*)\\.([a-z][a-z0-9-]*)\\.([a-z][a-z0-9-]*)\\.v\\d+");

  private EventNames() {}

  public static Optional<String> of(String cloudEventType) {
    Matcher m = TYPE.matcher(cloudEventType);
    return m.matches() ? Optional.of(m.group(2) + "." + m.group(3)) : Optional.empty();
  }

  /** The service that published the event ({@code storage}). */
  public static Optional<String> service(String cloudEventType) {
    Matcher m = TYPE.matcher(cloudEventType);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
