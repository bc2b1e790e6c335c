package dev.cumulus.gateway.routing;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the gateway applies the service registry ({@code cumulus.gateway.routing.*}).
 *
 * @param unbuiltServices services whose paths the gateway answers itself with 503 ("not available
 *     yet") instead of routing them; unset, the registry's {@code built: false} services. Tests and
 *     operators trying an unfinished service set it (empty routes everything).
 */
@ConfigurationProperties("cumulus.gateway.routing")
public record RoutingProperties(List<String> unbuiltServices) {}
