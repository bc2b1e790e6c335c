package dev.cumulus.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class EcsLogFormatterTests {

  @Test
  void writesExactlyBootsEcsLines() {
    LoggerContext context = new LoggerContext();
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "test",
                Map.of(
                    "spring.application.name",
                    "probe",
                    "logging.structured.ecs.service.version",
                    "1.2")));
    context.putObject(Environment.class.getName(), environment);
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            context.getLogger("dev.cumulus.gateway.access"),
            Level.INFO,
            "GET {} 200 \"quoted\" é \u2028",
            new IllegalStateException("boom"),
            new Object[] {"/api/x"});
    event.setMDCPropertyMap(Map.of("requestId", "rid-1", "tenantId", "acme"));

    byte[] boots = encoder(context, "ecs").encode(event);
    byte[] ours = encoder(context, EcsLogFormatter.class.getName()).encode(event);

    assertThat(new String(ours, StandardCharsets.UTF_8))
        .isEqualTo(new String(boots, StandardCharsets.UTF_8))
        .contains("\"requestId\":\"rid-1\"", "\"message\":\"GET /api/x 200", "boom");
    assertThat(ours).isEqualTo(boots);
  }

  private static StructuredLogEncoder encoder(LoggerContext context, String format) {
    StructuredLogEncoder encoder = new StructuredLogEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }
}
