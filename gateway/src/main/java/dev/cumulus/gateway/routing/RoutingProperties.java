package dev.cumulus.gateway.routing;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway applies the service registry ({@code cumulus.gateway.routing.*}).
 *
 * @param unbuiltServices services whose paths the gateway answers itself with 503 ("not available
 *     yet") instead of routing them; unset, the registry's {@code built: false} services. Tests and
 *     operators trying an unfinished service set it (empty routes everything).
 * @param upstreamDnsTtl the longest the HTTP client keeps a service's resolved address (whatever
 *     the DNS record's TTL says): a service restarted on a new address is reached again within it
 *     (see {@link UpstreamDnsCache})
 * @param replicaSetAside how long a replica that refused a connection gets no requests, when a
 *     service has several URLs (see {@link Replicas})
 */
@ConfigurationProperties("cumulus.gateway.routing")
public record RoutingProperties(
    List<String> unbuiltServices,
    @DefaultValue("5s") Duration upstreamDnsTtl,
    @DefaultValue("5s") Duration replicaSetAside) {}
