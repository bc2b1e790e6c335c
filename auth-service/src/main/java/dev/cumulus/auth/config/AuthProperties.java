package dev.cumulus.auth.config;

import dev.cumulus.platform.crypto.MasterKeySettings;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * auth-service settings, under {@code cumulus.auth.*}.
 *
 * @param masterKey base64 of 32 bytes (env {@code CUMULUS_AUTH_MASTER_KEY}); encrypts the private
 *     signing keys at rest. Required outside the {@code dev} profile; in {@code dev} a key is
 *     generated once into {@code masterKeyFile}.
 * @param previousMasterKeys retired master keys, comma-separated base64 (env {@code
 *     CUMULUS_AUTH_PREVIOUS_MASTER_KEYS}): still opened, and what they sealed is sealed again under
 *     {@code masterKey} after start-up
 * @param masterKeyFile where the dev profile keeps its generated master key (mode 0600)
 * @param accessTokenTtl lifetime of user access tokens
 * @param refreshTokenTtl lifetime of refresh tokens
 * @param apiKeyTokenTtl lifetime of tokens exchanged for an API key
 * @param actAsTokenTtl lifetime of a platform administrator's token for another tenant (act-as)
 * @param openTokenEndpoint whether seed 001's {@code POST /auth/token} is open to anyone (dev
 *     only); otherwise it needs a platform administrator's token
 * @param admin the platform administrator created on first start
 * @param keys signing key rotation
 * @param bruteForce login failure limits
 */
@ConfigurationProperties("cumulus.auth")
public record AuthProperties(
    String masterKey,
    String previousMasterKeys,
    @DefaultValue(".cumulus/data/auth/master.key") Path masterKeyFile,
    @DefaultValue("24h") Duration accessTokenTtl,
    @DefaultValue("7d") Duration refreshTokenTtl,
    @DefaultValue("300s") Duration apiKeyTokenTtl,
    @DefaultValue("15m") Duration actAsTokenTtl,
    @DefaultValue("false") boolean openTokenEndpoint,
    @DefaultValue Admin admin,
    @DefaultValue Keys keys,
    @DefaultValue BruteForce bruteForce)
    implements MasterKeySettings {

  /**
   * The platform administrator and tenant created on first start.
   *
   * @param password initial password (env {@code CUMULUS_ADMIN_PASSWORD}); when empty a random one
   *     is generated and written to {@code passwordFile}
   * @param passwordFile where a generated password is written (mode 0600)
   * @param tenant the platform tenant's id and domain
   * @param username the administrator's username
   * @param email the administrator's e-mail
   */
  public record Admin(
      String password,
      @DefaultValue(".cumulus/data/auth/admin-password") Path passwordFile,
      @DefaultValue("default") String tenant,
      @DefaultValue("admin") String username,
      @DefaultValue("admin@cumulus.local") String email) {}

  /**
   * Signing keys.
   *
   * @param rotationInterval a new key is generated when the active one is older (0 disables)
   * @param checkInterval how often rotation is due-checked and other instances' keys are reloaded
   * @param retirementGrace extra time a retired key stays published beyond the access token TTL,
   *     covering instances that have not reloaded their keys yet
   */
  public record Keys(
      @DefaultValue("30d") Duration rotationInterval,
      @DefaultValue("30s") Duration checkInterval,
      @DefaultValue("2m") Duration retirementGrace) {}

  /**
   * Login brute-force protection (Redis counters, fixed window from the first failure).
   *
   * @param enabled whether failures are counted
   * @param maxFailures failures of one client IP on one account that lock it out of that account
   *     for the window; from then on the account itself waits a delay after each failure
   * @param window how long failures are remembered (from the last one, for an account)
   * @param keyPrefix Redis key prefix
   * @param maxFailuresPerIp failures of one client IP across accounts that lock it out of all
   * @param baseDelay the account's wait after its {@code maxFailures}-th failure, doubling per
   *     further failure
   * @param maxDelay the longest an account ever waits after a failure
   */
  public record BruteForce(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("5") int maxFailures,
      @DefaultValue("15m") Duration window,
      @DefaultValue("cumulus:auth:login-failures:") String keyPrefix,
      @DefaultValue("100") int maxFailuresPerIp,
      @DefaultValue("1s") Duration baseDelay,
      @DefaultValue("60s") Duration maxDelay) {}
}
