package dev.cumulus.platform.registry;

import dev.cumulus.platform.error.ApiFamily;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The service registry, {@code services.yml} at the repository root (packaged into platform as
 * {@value #RESOURCE}): every service, its port, the paths the gateway routes to it and the API
 * family of each path. The gateway builds its routes from it and every service resolves envelopes
 * from it, so adding a service is its module plus one entry there.
 */
public record ServiceRegistry(List<Service> services) {

  public static final String RESOURCE = "META-INF/cumulus/services.yml";

  private static final ServiceRegistry PACKAGED = load();

  /** One service of the registry. */
  public record Service(
      String name,
      int port,
      String key,
      String urlEnv,
      boolean built,
      List<String> instanceTypes,
      List<Route> routes) {

    /** The environment variable naming its base URL, e.g. {@code CUMULUS_STORAGE_URL}. */
    public String urlVariable() {
      return urlEnv != null ? urlEnv : "CUMULUS_" + key + "_URL";
    }

    /** The environment variable overriding its port, e.g. {@code CUMULUS_STORAGE_PORT}. */
    public String portVariable() {
      return "CUMULUS_" + key + "_PORT";
    }

    /** Its base URL on one machine. */
    public String defaultUrl() {
      return "http://127.0.0.1:" + port;
    }
  }

  /**
   * Paths the gateway sends to a service, with their family and how to proxy them.
   *
   * @param responseTimeout the wait for the first response byte, or null for the gateway's default
   * @param preserveHost the client's Host header reaches the service (SigV4 signs it)
   * @param websocket a long-lived WebSocket: no circuit breaker around it
   * @param signed an AWS wire protocol: every request carries a SigV4 signature that the service
   *     verifies, so the gateway lets it through without a token and budgets it per access key
   */
  public record Route(
      ApiFamily family,
      List<String> paths,
      Duration responseTimeout,
      boolean preserveHost,
      boolean websocket,
      boolean signed) {}

  /** The path patterns of every signed (AWS protocol) route. */
  public List<String> signedPaths() {
    return routes().stream().filter(Route::signed).flatMap(r -> r.paths().stream()).toList();
  }

  /** The registry packaged with platform. */
  public static ServiceRegistry packaged() {
    return PACKAGED;
  }

  public Optional<Service> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Every service's routes, in registry order. */
  public List<Route> routes() {
    return services.stream().flatMap(s -> s.routes().stream()).toList();
  }

  private static ServiceRegistry load() {
    try (InputStream in = ServiceRegistry.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a registry document; throws with the offending entry named when it is malformed. */
  public static ServiceRegistry parse(InputStream yaml) {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    List<Service> services = new ArrayList<>();
    for (Map<String, Object> entry : maps(root.get("services"))) {
      String name = required(entry, "name", "a service");
      try {
        services.add(service(name, entry));
      } catch (RuntimeException e) {
        throw new IllegalStateException("services.yml, service " + name + ": " + e.getMessage(), e);
      }
    }
    return new ServiceRegistry(List.copyOf(services));
  }

  private static Service service(String name, Map<String, Object> entry) {
    List<Route> routes = new ArrayList<>();
    for (Map<String, Object> route : maps(entry.get("routes"))) {
      routes.add(
          new Route(
              ApiFamily.valueOf(required(route, "family", "a route")),
              strings(route.get("paths")),
              route.containsKey("response-timeout")
                  ? DurationStyle.detectAndParse(route.get("response-timeout").toString())
                  : null,
              Boolean.TRUE.equals(route.get("preserve-host")),
              Boolean.TRUE.equals(route.get("websocket")),
              Boolean.TRUE.equals(route.get("signed"))));
    }
    return new Service(
        name,
        ((Number) entry.get("port")).intValue(),
        required(entry, "key", "service " + name),
        (String) entry.get("url-env"),
        !Boolean.FALSE.equals(entry.get("built")),
        strings(entry.get("instance-types")),
        List.copyOf(routes));
  }

  private static String required(Map<String, Object> map, String key, String what) {
    Object value = map.get(key);
    if (value == null) {
      throw new IllegalStateException(what + " has no " + key);
    }
    return value.toString();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  private static List<String> strings(Object value) {
    return value == null ? List.of() : ((List<?>) value).stream().map(Object::toString).toList();
  }
}
