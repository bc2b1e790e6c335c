package dev.cumulus.function.config;

import dev.cumulus.platform.crypto.MasterKeySettings;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key that seals functions' environment variables at rest ({@code cumulus.function.sealing.*}).
 *
 * @param masterKey base64 of 32 random bytes ({@code CUMULUS_FUNCTION_MASTER_KEY}); required
 *     outside the dev profile
 * @param previousMasterKeys retired keys, comma-separated: values sealed under them still open
 * @param masterKeyFile where the dev profile keeps the key it generated
 */
@ConfigurationProperties("cumulus.function.sealing")
public record SealingProperties(
    @DefaultValue("") String masterKey,
    @DefaultValue("") String previousMasterKeys,
    @DefaultValue(".cumulus/data/function/master.key") Path masterKeyFile)
    implements MasterKeySettings {}
