package dev.cumulus.auth.config;

import com.nimbusds.jose.jwk.JWK;
import dev.cumulus.auth.keys.application.KeyRing;
import dev.cumulus.auth.keys.domain.SigningKey;
import dev.cumulus.platform.security.CumulusClaims;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Flux;

/**
 * auth-service verifies tokens against its own key ring instead of fetching its own JWKS over HTTP:
 * RS256 only, issuer and expiry checked, retired keys accepted until their tokens have expired.
 */
@Configuration(proxyBeanMethods = false)
public class AuthSecurityConfiguration {

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
}
