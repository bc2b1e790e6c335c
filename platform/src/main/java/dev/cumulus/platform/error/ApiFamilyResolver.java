package dev.cumulus.platform.error;

import dev.cumulus.platform.registry.ServiceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Decides which family's envelope a request path gets. The paths come from the service registry
 * ({@code services.yml}: each route's family); {@code cumulus.api.families.<FAMILY>} adds more.
 * When patterns of two families match, the more specific one wins (the same rule the gateway
 * applies to routes).
 */
public class ApiFamilyResolver {

  private record Entry(PathPattern pattern, ApiFamily family) {}

  private final List<Entry> entries = new ArrayList<>();
  private final ApiFamily fallback;

  public ApiFamilyResolver(
      ServiceRegistry registry, Map<ApiFamily, List<String>> extraPaths, ApiFamily fallback) {
    this.fallback = fallback;
    PathPatternParser parser = PathPatternParser.defaultInstance;
    for (ServiceRegistry.Route route : registry.routes()) {
      route.paths().forEach(p -> entries.add(new Entry(parser.parse(p), route.family())));
    }
    extraPaths.forEach(
        (family, paths) -> paths.forEach(p -> entries.add(new Entry(parser.parse(p), family))));
    entries.sort((a, b) -> PathPattern.SPECIFICITY_COMPARATOR.compare(a.pattern, b.pattern));
  }

  /** The packaged registry's families, DockSaaS for paths no family claims. */
  public static ApiFamilyResolver withDefaults() {
    return new ApiFamilyResolver(ServiceRegistry.packaged(), Map.of(), ApiFamily.DOCKSAAS);
  }

  public ApiFamily resolve(String path) {
    PathContainer container = PathContainer.parsePath(path);
    for (Entry entry : entries) {
      if (entry.pattern.matches(container)) {
        return entry.family;
      }
    }
    return fallback;
  }
}
