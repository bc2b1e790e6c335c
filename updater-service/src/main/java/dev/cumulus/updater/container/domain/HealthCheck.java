package dev.cumulus.updater.container.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A command run inside the container to tell whether it serves (exit 0 = healthy), Docker's
 * semantics: every {@code interval} seconds, each run limited to {@code timeout} seconds, unhealthy
 * after {@code retries} failures in a row.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthCheck(
    Boolean enabled, Integer interval, Integer timeout, Integer retries, List<String> command) {

  public HealthCheck {
    enabled = enabled == null || enabled;
    interval = interval == null ? 30 : interval;
    timeout = timeout == null ? 10 : timeout;
    retries = retries == null ? 3 : retries;
    command = command == null ? List.of() : List.copyOf(command);
  }

  public boolean active() {
    return enabled && !command.isEmpty();
  }
}
