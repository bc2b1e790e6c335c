package dev.cumulus.updater.registry.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How updater-service asks registries for the newest digest ({@code cumulus.updater.registry.*}).
 *
 * @param insecure registries spoken to over plain HTTP (a local development registry)
 * @param timeout for one registry round trip
 * @param concurrency registry round trips in flight at once during a check over many images
 * @param os platform whose manifest a multi-arch index resolves to
 * @param architecture see {@code os}; defaults to the JVM's host architecture
 */
@ConfigurationProperties("cumulus.updater.registry")
public record RegistryProperties(
    @DefaultValue({"127.0.0.1:5000", "localhost:5000"}) List<String> insecure,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("16") int concurrency,
    @DefaultValue("linux") String os,
    @DefaultValue("") String architecture) {

  /** Docker's name of the host architecture ({@code amd64}, {@code arm64}). */
  public String platformArchitecture() {
    if (!architecture.isBlank()) {
      return architecture;
    }
    String jvm = System.getProperty("os.arch", "amd64");
    return switch (jvm) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> jvm;
    };
  }
}
