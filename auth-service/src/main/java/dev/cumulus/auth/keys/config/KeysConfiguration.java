package dev.cumulus.auth.keys.config;

import com.nimbusds.jose.jwk.JWK;
import dev.cumulus.auth.keys.application.KeyRing;
import dev.cumulus.auth.keys.domain.SigningKey;
import dev.cumulus.auth.keys.persistence.SigningKeyRepository;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.SealedColumn;
import dev.cumulus.platform.security.CumulusClaims;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Flux;

/** Wiring of the signing keys: the key ring verifies auth-service's own tokens, and is sealed. */
@Configuration(proxyBeanMethods = false)
public class KeysConfiguration {

  /**
   * auth-service verifies tokens against its own key ring instead of fetching its own JWKS over
   * HTTP: RS256 only, issuer and expiry checked, retired keys accepted until their tokens have
   * expired.
   */
  @Bean
  ReactiveJwtDecoder jwtDecoder(
      KeyRing keys,
      @Value("${cumulus.security.issuer:" + CumulusClaims.DEFAULT_ISSUER + "}") String issuer) {
    NimbusReactiveJwtDecoder decoder =
        NimbusReactiveJwtDecoder.withJwkSource(
                jwt ->
                    Flux.from(
                        keys.find(jwt.getHeader().getKeyID())
                            .map(SigningKey::publicJwk)
                            .map(JWK.class::cast)))
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .build();
    decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
    return decoder;
  }

  /** Private keys are sealed under the master key; the first values its rotation reseals. */
  @Bean
  @Order(1)
  MasterKeyRotation.SealedValues sealedSigningKeys(DatabaseClient db) {
    return new SealedColumn(
        db,
        "signing keys",
        "signing_keys",
        "kid",
        "private_key",
        SigningKeyRepository::associatedData);
  }
}
