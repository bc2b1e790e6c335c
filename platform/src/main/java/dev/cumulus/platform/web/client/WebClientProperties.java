package dev.cumulus.platform.web.client;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The services' outgoing HTTP client ({@code cumulus.web-client.*}).
 *
 * @param dnsCacheTtl the longest a resolved address is kept, whatever the DNS record's TTL says
 *     (see {@link WebClientDnsCache}); {@code CUMULUS_WEB_CLIENT_DNS_CACHE_TTL} overrides it
 */
@ConfigurationProperties("cumulus.web-client")
public record WebClientProperties(@DefaultValue("5s") Duration dnsCacheTtl) {}
