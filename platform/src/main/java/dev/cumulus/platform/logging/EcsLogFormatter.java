package dev.cumulus.platform.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.lang.reflect.Constructor;
import java.nio.charset.Charset;
import org.springframework.boot.logging.StackTracePrinter;
import org.springframework.boot.logging.structured.ContextPairs;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's Elastic Common Schema log lines (the platform's default console format), encoded to
 * bytes in one step. Boot's own formatter writes each line through an {@code OutputStreamWriter},
 * one JSON token at a time (spring-boot#49428): with the gateway's access log that was ~9 % of the
 * gateway's CPU under load (JFR, bench/gateway). Its {@code format} builds the very same line in a
 * {@code StringBuilder}; this formatter encodes that string once.
 *
 * <p>Boot's formatter is package-private, so it is created reflectively with the arguments Boot
 * hands to any custom formatter; {@code EcsLogFormatterTests} checks the lines stay identical.
 */
public final class EcsLogFormatter implements StructuredLogFormatter<ILoggingEvent> {

  static final String BOOT_ECS_FORMATTER =
      "org.springframework.boot.logging.logback.ElasticCommonSchemaStructuredLogFormatter";

  private final StructuredLogFormatter<ILoggingEvent> boots;

  public EcsLogFormatter(
      Environment environment,
      StackTracePrinter stackTracePrinter, // null unless configured
      ContextPairs contextPairs,
      ThrowableProxyConverter throwableProxyConverter,
      StructuredLoggingJsonMembersCustomizer.Builder<?> customizerBuilder) {
    this.boots =
        bootsFormatter(
            environment,
            stackTracePrinter,
            contextPairs,
            throwableProxyConverter,
            customizerBuilder);
  }

  @Override
  public String format(ILoggingEvent event) {
    return boots.format(event);
  }

  @Override
  public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
    return boots.format(event).getBytes(charset);
  }

  @SuppressWarnings("unchecked")
  private static StructuredLogFormatter<ILoggingEvent> bootsFormatter(Object... arguments) {
    try {
      Constructor<?> constructor =
          Class.forName(BOOT_ECS_FORMATTER)
              .getDeclaredConstructor(
                  Environment.class,
                  StackTracePrinter.class,
                  ContextPairs.class,
                  ThrowableProxyConverter.class,
                  StructuredLoggingJsonMembersCustomizer.Builder.class);
      constructor.setAccessible(true);
      return (StructuredLogFormatter<ILoggingEvent>) constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Spring Boot's ECS log formatter changed: " + BOOT_ECS_FORMATTER, e);
    }
  }
}
