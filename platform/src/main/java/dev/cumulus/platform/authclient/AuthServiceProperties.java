package dev.cumulus.platform.authclient;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where auth-service is ({@code cumulus.auth-service.*}).
 *
 * @param url its base URL ({@code CUMULUS_AUTH_URL} in the platform defaults), which
 *     InternalServiceClients reads for {@code auth-service}; the secret is {@code
 *     cumulus.internal.secret}, as for every internal call
 * @param timeout how long one call may take
 * @param signingKeyCacheTtl how long a SigV4 signing key is reused: a revoked access key works at
 *     most this much longer
 */
@ConfigurationProperties("cumulus.auth-service")
public record AuthServiceProperties(
    @DefaultValue("http://127.0.0.1:8081") URI url,
    @DefaultValue("2s") Duration timeout,
    @DefaultValue("30s") Duration signingKeyCacheTtl) {}
