package dev.cumulus.platform.config;

import dev.cumulus.platform.logging.EcsLogFormatter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code cumulus-defaults.yml} as the lowest-precedence property source, so every service
 * shares one set of defaults (actuator, logging, addresses) and overrides any of them in its own
 * application.yml or through environment variables. A service with platform-data also gets {@code
 * cumulus-data-defaults.yml} (database, Kafka), just above them.
 */
public class PlatformDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "cumulusPlatformDefaults";
  private static final String RESOURCE = "cumulus-defaults.yml";

  /** platform-data's additions (database, Kafka), when a service has it: they win over ours. */
  private static final String DATA_RESOURCE = "cumulus-data-defaults.yml";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(SOURCE_NAME)) {
      return;
    }
    try {
      ClassPathResource data = new ClassPathResource(DATA_RESOURCE);
      if (data.exists()) {
        new YamlPropertySourceLoader()
            .load(SOURCE_NAME + "Data", data)
            .forEach(environment.getPropertySources()::addLast);
      }
      List<PropertySource<?>> sources =
          new YamlPropertySourceLoader().load(SOURCE_NAME, new ClassPathResource(RESOURCE));
      sources.forEach(environment.getPropertySources()::addLast);
      environment.getPropertySources().addLast(logFormat(environment));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** Structured console logs unless CUMULUS_LOG_FORMAT=text asks for plain lines. */
  private static PropertySource<?> logFormat(ConfigurableEnvironment environment) {
    String format = environment.getProperty("CUMULUS_LOG_FORMAT", "ecs").trim();
    Map<String, Object> properties =
        format.equalsIgnoreCase("text") || format.isEmpty()
            ? Map.of()
            : Map.of(
                "logging.structured.format.console",
                // Boot's own ECS lines, encoded faster (EcsLogFormatter says why).
                format.equalsIgnoreCase("ecs") ? EcsLogFormatter.class.getName() : format);
    return new MapPropertySource(SOURCE_NAME + "LogFormat", properties);
  }
}
