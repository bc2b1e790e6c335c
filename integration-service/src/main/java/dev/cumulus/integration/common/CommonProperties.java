package dev.cumulus.integration.common;

import dev.cumulus.platform.crypto.MasterKeySettings;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's master key ({@code cumulus.integration.*}).
 *
 * @param masterKey base64 of 32 bytes (env {@code CUMULUS_INTEGRATION_MASTER_KEY}); seals webhook
 *     and inbound-source secrets. Required outside the {@code dev} profile, which generates one
 *     into {@code masterKeyFile}.
 * @param previousMasterKeys retired keys, comma-separated base64: still open old values
 * @param masterKeyFile where the dev profile keeps its generated key
 */
@ConfigurationProperties("cumulus.integration")
public record CommonProperties(
    String masterKey,
    String previousMasterKeys,
    @DefaultValue(".cumulus/data/integration/master.key") Path masterKeyFile)
    implements MasterKeySettings {}
