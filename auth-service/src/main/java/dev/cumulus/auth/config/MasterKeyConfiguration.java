package dev.cumulus.auth.config;

import dev.cumulus.auth.keys.persistence.SigningKeyRepository;
import dev.cumulus.auth.s3credential.persistence.S3CredentialRepository;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.SealedColumn;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The master key that encrypts signing keys and S3 secrets at rest: {@code cumulus.auth.master-key}
 * (env {@code CUMULUS_AUTH_MASTER_KEY}). Without one, the {@code dev} profile generates a key once
 * into {@code cumulus.auth.master-key-file} and reuses it; any other profile refuses to start.
 * Retired keys in {@code cumulus.auth.previous-master-keys} still open old values, which {@link
 * MasterKeyRotation} seals again under the current key after start-up.
 */
@Configuration(proxyBeanMethods = false)
public class MasterKeyConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "auth-service",
          "encrypt its signing keys and S3 secrets",
          "cumulus.auth.master-key",
          "CUMULUS_AUTH_MASTER_KEY");

  @Bean
  MasterKey masterKey(AuthProperties properties, Environment environment) {
    return LOADER.load(
        properties.masterKey(),
        properties.previousMasterKeys(),
        properties.masterKeyFile(),
        environment.acceptsProfiles(Profiles.of("dev")));
  }

  @Bean
  MasterKeyRotation masterKeyRotation(MasterKey masterKey, DatabaseClient db) {
    return new MasterKeyRotation(masterKey, LOADER.previousEnvironmentVariable(), columns(db));
  }

  /** Every value auth-service seals under its master key. */
  public static List<MasterKeyRotation.SealedValues> columns(DatabaseClient db) {
    return List.of(
        new SealedColumn(
            db,
            "signing keys",
            "signing_keys",
            "kid",
            "private_key",
            SigningKeyRepository::associatedData),
        new SealedColumn(
            db,
            "S3 secrets",
            "s3_credentials",
            "access_key_id",
            "secret_encrypted",
            S3CredentialRepository::associatedData));
  }
}
