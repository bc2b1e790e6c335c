package dev.cumulus.integration.common;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to tenant-given URLs: webhook receivers, integration sources ({@code
 * cumulus.integration.outbound.*}).
 *
 * @param allowedNetworks CIDRs exempt from the address policy (loopback, private, link-local and
 *     metadata addresses are refused otherwise), e.g. {@code 127.0.0.1/32} for a local receiver
 * @param connectTimeout the TCP connect timeout
 * @param maxConnectionsPerHost open connections to one host and port; above the webhook
 *     dispatcher's {@code max-in-flight}, so the pool is never what makes a delivery wait
 * @param resolveTimeout how long a name lookup may take before the call fails as unresolvable
 */
@ConfigurationProperties("cumulus.integration.outbound")
public record OutboundProperties(
    @DefaultValue List<String> allowedNetworks,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("1024") int maxConnectionsPerHost,
    @DefaultValue("5s") Duration resolveTimeout) {}
