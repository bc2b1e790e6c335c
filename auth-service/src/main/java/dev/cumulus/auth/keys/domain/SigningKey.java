package dev.cumulus.auth.keys.domain;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/**
 * An RS256 signing key. The newest key that is not retired signs; every key whose tokens may still
 * be valid ({@code notAfter} unset or in the future) is published in the JWKS.
 */
public record SigningKey(
    String kid,
    RSAPublicKey publicKey,
    RSAPrivateKey privateKey,
    Instant createdAt,
    Instant retiredAt,
    Instant notAfter) {

  public boolean active() {
    return retiredAt == null;
  }

  public boolean publishedAt(Instant now) {
    return notAfter == null || notAfter.isAfter(now);
  }

  /** The public half as a JWK, as published at /.well-known/jwks.json. */
  public RSAKey publicJwk() {
    return new RSAKey.Builder(publicKey)
        .keyID(kid)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256)
        .build();
  }
}
