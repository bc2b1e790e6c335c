package dev.cumulus.gateway.routing;

import dev.cumulus.platform.registry.ServiceRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.BooleanSpec;
import org.springframework.cloud.gateway.route.builder.Buildable;
import org.springframework.cloud.gateway.route.builder.PredicateSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.route.builder.UriSpec;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.core.env.Environment;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The gateway's routes, one per route of the service registry ({@code services.yml}): the service's
 * URL from {@code CUMULUS_<KEY>_URL} (default: its registry port on this machine; several URLs
 * separated by commas are replicas, balanced by one {@link ReplicaBalancer} per service), its own
 * circuit breaker, and the route's response timeout ({@code
 * CUMULUS_GATEWAY_<KEY>_RESPONSE_TIMEOUT_MS} overrides it). An unbuilt service's paths are answered
 * by {@link NotAvailableYet}.
 */
public final class RegistryRoutes {

  /** Route metadata naming the service, for messages about it. */
  public static final String SERVICE = "cumulus.service";

  private final ServiceRegistry registry;
  private final Environment environment;
  private final List<String> unbuilt;
  private final Duration replicaSetAside;

  /** One balancer per service, shared by its routes (one round-robin, one view of its health). */
  private final Map<String, ReplicaBalancer> balancers = new HashMap<>();

  public RegistryRoutes(
      ServiceRegistry registry, Environment environment, RoutingProperties routing) {
    this.registry = registry;
    this.environment = environment;
    this.unbuilt =
        routing.unbuiltServices() != null
            ? routing.unbuiltServices()
            : registry.services().stream().filter(s -> !s.built()).map(s -> s.name()).toList();
    this.replicaSetAside = routing.replicaSetAside();
  }

  /** One registry route of one service, with its gateway route id. */
  private record Entry(String id, ServiceRegistry.Service service, ServiceRegistry.Route route) {

    /** The route's broadest pattern: a route is only as specific as that. */
    PathPattern broadest() {
      return route.paths().stream()
          .map(PathPatternParser.defaultInstance::parse)
          .max(PathPattern.SPECIFICITY_COMPARATOR)
          .orElseThrow();
    }
  }

  /**
   * One gateway route per registry route, the more specific first: {@code /v1/webhooks/**}
   * (integration-service) must win over {@code /v1/**} (function-service) whatever the registry's
   * order. Routes of equal specificity keep the registry's order.
   */
  public RouteLocator build(RouteLocatorBuilder builder) {
    List<Entry> entries = new ArrayList<>();
    for (ServiceRegistry.Service service : registry.services()) {
      List<ServiceRegistry.Route> serviceRoutes = service.routes();
      for (int i = 0; i < serviceRoutes.size(); i++) {
        String id = i == 0 ? service.name() : service.name() + "-" + (i + 1);
        entries.add(new Entry(id, service, serviceRoutes.get(i)));
      }
    }
    entries.sort(Comparator.comparing(Entry::broadest, PathPattern.SPECIFICITY_COMPARATOR));
    RouteLocatorBuilder.Builder routes = builder.routes();
    for (int order = 0; order < entries.size(); order++) {
      Entry entry = entries.get(order);
      int position = order;
      routes.route(entry.id(), spec -> route(spec.order(position), entry.service(), entry.route()));
    }
    return routes.build();
  }

  private Buildable<Route> route(
      PredicateSpec spec, ServiceRegistry.Service service, ServiceRegistry.Route route) {
    BooleanSpec paths = spec.path(route.paths().toArray(String[]::new));
    String setting = environment.getProperty(service.urlVariable(), service.defaultUrl());
    List<URI> urls = Replicas.parse(service.urlVariable(), setting);
    // With several replicas the route's URL is the first one's; ReplicaBalancer picks per request.
    URI url = urls.getFirst();
    if (unbuilt.contains(service.name())) {
      return paths
          .filters(f -> f.filter(new NotAvailableYet(service.name())))
          .metadata(SERVICE, service.name())
          .uri(url);
    }
    ReplicaBalancer balancer =
        urls.size() == 1
            ? null
            : balancers.computeIfAbsent(
                service.name(),
                name -> new ReplicaBalancer(name, new Replicas(urls, replicaSetAside)));
    UriSpec proxied =
        paths
            .filters(
                f -> {
                  if (route.preserveHost()) {
                    f.preserveHostHeader();
                  }
                  if (balancer != null) {
                    f.filter(balancer);
                  }
                  // No breaker around a WebSocket session that may last hours.
                  if (!route.websocket()) {
                    f.circuitBreaker(breaker -> breaker.setName(service.name()));
                  }
                  return f;
                })
            .metadata(SERVICE, service.name());
    Long timeoutMs = responseTimeoutMs(service, route);
    if (timeoutMs != null) {
      proxied = proxied.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, timeoutMs);
    }
    return proxied.uri(url);
  }

  private Long responseTimeoutMs(ServiceRegistry.Service service, ServiceRegistry.Route route) {
    String override =
        environment.getProperty("CUMULUS_GATEWAY_" + service.key() + "_RESPONSE_TIMEOUT_MS");
    if (override != null) {
      return Long.parseLong(override);
    }
    return route.responseTimeout() == null ? null : route.responseTimeout().toMillis();
  }
}
