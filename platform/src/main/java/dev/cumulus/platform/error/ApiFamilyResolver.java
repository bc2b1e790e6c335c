package dev.cumulus.platform.error;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Decides which family's envelope a request path gets. Each family's seed paths are built in;
 * {@code cumulus.api.families.<FAMILY>} adds more. When patterns of two families match, the more
 * specific one wins (the same rule the gateway applies to routes).
 */
public class ApiFamilyResolver {

  private record Entry(PathPattern pattern, ApiFamily family) {}

  private final List<Entry> entries = new ArrayList<>();
  private final ApiFamily fallback;

  public ApiFamilyResolver(Map<ApiFamily, List<String>> extraPaths, ApiFamily fallback) {
    this.fallback = fallback;
    PathPatternParser parser = PathPatternParser.defaultInstance;
    for (ApiFamily family : ApiFamily.values()) {
      List<String> paths = new ArrayList<>(family.defaultPaths());
      paths.addAll(extraPaths.getOrDefault(family, List.of()));
      paths.forEach(p -> entries.add(new Entry(parser.parse(p), family)));
    }
    entries.sort((a, b) -> PathPattern.SPECIFICITY_COMPARATOR.compare(a.pattern, b.pattern));
  }

  public static ApiFamilyResolver withDefaults() {
    return new ApiFamilyResolver(Map.of(), ApiFamily.DOCKSAAS);
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
