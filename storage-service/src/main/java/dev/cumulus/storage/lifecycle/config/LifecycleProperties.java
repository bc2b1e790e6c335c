package dev.cumulus.storage.lifecycle.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The lifecycle worker's schedule.
 *
 * @param enabled whether this instance runs the worker at all
 * @param interval time between passes (S3 itself applies rules about once a day)
 * @param initialDelay the first pass, after start-up
 * @param lease how long a pass may hold one bucket before another instance may take it over
 */
@ConfigurationProperties("cumulus.storage.lifecycle")
public record LifecycleProperties(
    Boolean enabled, Duration interval, Duration initialDelay, Duration lease) {

  public LifecycleProperties {
    enabled = enabled == null || enabled;
    interval = interval == null ? Duration.ofHours(1) : interval;
    initialDelay = initialDelay == null ? Duration.ofMinutes(1) : initialDelay;
    lease = lease == null ? Duration.ofMinutes(30) : lease;
  }
}
