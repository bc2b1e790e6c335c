package dev.cumulus.updater.registry.config;

import dev.cumulus.platform.crypto.MasterKeySettings;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key that seals tenants' registry passwords at rest ({@code cumulus.updater.sealing.*}).
 *
 * @param masterKey base64 of 32 random bytes ({@code CUMULUS_UPDATER_MASTER_KEY}); required outside
 *     the dev profile
 * @param previousMasterKeys retired keys, comma-separated ({@code
 *     CUMULUS_UPDATER_PREVIOUS_MASTER_KEYS}): passwords sealed under them still open, and are
 *     sealed again under the current key after start-up
 * @param masterKeyFile where the dev profile keeps the key it generated
 */
@ConfigurationProperties("cumulus.updater.sealing")
public record SealingProperties(
    @DefaultValue("") String masterKey,
    @DefaultValue("") String previousMasterKeys,
    @DefaultValue(".cumulus/data/updater/master.key") Path masterKeyFile)
    implements MasterKeySettings {}
