package dev.cumulus.auth.keys.application;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.cumulus.auth.keys.domain.IssuedToken;
import dev.cumulus.auth.keys.domain.SigningKey;
import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** Signs access tokens (RS256, {@code kid} in the header) with the active key. */
@Service
public class TokenIssuer {

  private final KeyRing keys;
  private final String issuer;

  public TokenIssuer(
      KeyRing keys,
      @Value("${cumulus.security.issuer:" + CumulusClaims.DEFAULT_ISSUER + "}") String issuer) {
    this.keys = keys;
    this.issuer = issuer;
  }

  public String issuer() {
    return issuer;
  }

  public IssuedToken issue(CumulusPrincipal claims, Duration ttl) {
    return issue(claims, ttl, Map.of());
  }

  /**
   * A token with claims beyond the principal's, such as RFC 8693's {@code act} on a platform
   * administrator's token for another tenant.
   */
  public IssuedToken issue(CumulusPrincipal claims, Duration ttl, Map<String, Object> extra) {
    SigningKey key = keys.activeKey();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(ttl);
    String id = UUID.randomUUID().toString();
    JWTClaimsSet.Builder body =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(claims.subject())
            .jwtID(id)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt))
            .claim(CumulusClaims.TENANT_ID, claims.tenantId())
            .claim(CumulusClaims.TENANT_DOMAIN, claims.tenantDomain())
            .claim(CumulusClaims.PLAN, claims.plan())
            .claim(CumulusClaims.ROLES, claims.roles())
            .claim(CumulusClaims.PERMISSIONS, claims.permissions());
    // Nimbus drops null-valued claims, so optional ones are simply absent.
    body.claim(CumulusClaims.USERNAME, claims.username())
        .claim(CumulusClaims.EMAIL, claims.email())
        .claim(CumulusClaims.API_KEY_ID, claims.apiKeyId())
        .claim(CumulusClaims.SCOPES, claims.scopes())
        .claim(CumulusClaims.SERVICE_ID, claims.serviceId())
        .claim(CumulusClaims.SESSION_ID, claims.sessionId());
    extra.forEach(body::claim);
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.kid()).type(JOSEObjectType.JWT).build();
    SignedJWT jwt = new SignedJWT(header, body.build());
    try {
      jwt.sign(new RSASSASigner(key.privateKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign token", e);
    }
    return new IssuedToken(jwt.serialize(), id, expiresAt, ttl.toSeconds());
  }
}
