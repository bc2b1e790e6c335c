package dev.cumulus.auth.s3credential.config;

import dev.cumulus.auth.s3credential.persistence.S3CredentialRepository;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.SealedColumn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;

/** S3 secrets are sealed under the master key (see {@code MasterKeyConfiguration}). */
@Configuration(proxyBeanMethods = false)
public class S3CredentialConfiguration {

  @Bean
  @Order(2)
  MasterKeyRotation.SealedValues sealedS3Secrets(DatabaseClient db) {
    return new SealedColumn(
        db,
        "S3 secrets",
        "s3_credentials",
        "access_key_id",
        "secret_encrypted",
        S3CredentialRepository::associatedData);
  }
}
