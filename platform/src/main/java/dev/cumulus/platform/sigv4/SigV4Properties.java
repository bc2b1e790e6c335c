package dev.cumulus.platform.sigv4;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SigV4 settings shared by every AWS-protocol endpoint ({@code cumulus.sigv4.*}).
 *
 * @param regions the regions a credential scope may name (the first is the one error messages
 *     suggest); a request signed for any other is refused, as AWS refuses one signed for the wrong
 *     region
 */
@ConfigurationProperties("cumulus.sigv4")
public record SigV4Properties(@DefaultValue("us-east-1") List<String> regions) {}
