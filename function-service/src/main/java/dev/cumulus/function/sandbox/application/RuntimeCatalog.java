package dev.cumulus.function.sandbox.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.config.FunctionProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The runtimes this installation offers: those configured whose launcher exists here. A runtime is
 * pluggable (a launcher command and a bootstrap), so an operator adds {@code dotnet8} where it
 * exists; until then creating a function with it is a 400 naming the runtimes available.
 */
@Component
public class RuntimeCatalog {

  private static final Logger log = LoggerFactory.getLogger(RuntimeCatalog.class);

  private final Map<String, FunctionProperties.Runtime> runtimes = new TreeMap<>();
  private final Map<String, String> names = new TreeMap<>();
  private final Path bootstrapDir;

  public RuntimeCatalog(FunctionProperties properties) {
    this.bootstrapDir = properties.workDir().resolve("runtime");
    properties
        .runtimes()
        .forEach(
            (name, runtime) -> {
              if (!Files.isExecutable(Path.of(runtime.command().getFirst()))) {
                log.info("Runtime {} not offered: {} is missing", name, runtime.command().get(0));
                return;
              }
              runtimes.put(name, runtime);
              names.put(name, name);
              runtime.aliases().forEach(alias -> names.putIfAbsent(alias, name));
              copyBootstrap(runtime.bootstrap());
            });
  }

  /** The configured runtime serving {@code requested} (itself or by alias), or a 400. */
  public String resolve(String requested) {
    String name = requested == null ? null : names.get(requested);
    if (name == null) {
      throw FunctionErrors.invalidParameter(
          "Value "
              + requested
              + " at 'runtime' failed to satisfy constraint: Member must be one of the runtimes"
              + " available here: "
              + available());
    }
    return name;
  }

  /** The runtimes and their aliases, e.g. {@code nodejs20 (nodejs20.x), python3.11 (...)}. */
  public String available() {
    return runtimes.keySet().stream()
        .map(
            name -> {
              var aliases = runtimes.get(name).aliases();
              return aliases.isEmpty() ? name : name + " (" + String.join(", ", aliases) + ")";
            })
        .collect(Collectors.joining(", "));
  }

  public String description(String name) {
    return runtimes.get(name).description();
  }

  FunctionProperties.Runtime runtime(String name) {
    FunctionProperties.Runtime runtime = runtimes.get(name);
    if (runtime == null) {
      throw FunctionErrors.invalidParameter("The runtime " + name + " is no longer available");
    }
    return runtime;
  }

  /** The host directory mounted read-only at {@code /var/runtime} in every sandbox. */
  Path bootstrapDir() {
    return bootstrapDir;
  }

  private void copyBootstrap(String resource) {
    Path target = bootstrapDir.resolve(Path.of(resource).getFileName());
    try (InputStream in = new ClassPathResource(resource).getInputStream()) {
      Files.createDirectories(bootstrapDir);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot install the bootstrap " + resource, e);
    }
  }
}
