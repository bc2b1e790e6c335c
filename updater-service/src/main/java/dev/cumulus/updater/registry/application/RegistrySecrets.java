package dev.cumulus.updater.registry.application;

import dev.cumulus.platform.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * Seals registry passwords at rest under updater-service's master key ({@code
 * CUMULUS_UPDATER_MASTER_KEY}, the only user of that key), bound to their login's id as associated
 * data: a sealed password copied onto another tenant's login does not open.
 *
 * <p>integration-service's {@code SecretSealer} does the same for its secrets: a string sealer in
 * platform next to {@link MasterKey} would serve both (left to the platform's owner).
 */
@Component
public class RegistrySecrets {

  private final MasterKey key;

  public RegistrySecrets(MasterKey updaterMasterKey) {
    this.key = updaterMasterKey;
  }

  public byte[] seal(String password, String loginId) {
    return key.encrypt(password.getBytes(StandardCharsets.UTF_8), loginId);
  }

  public String open(byte[] sealed, String loginId) {
    return new String(key.decrypt(sealed, loginId), StandardCharsets.UTF_8);
  }
}
