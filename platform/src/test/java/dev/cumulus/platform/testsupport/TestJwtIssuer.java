package dev.cumulus.platform.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.cumulus.platform.security.CumulusClaims;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A stand-in for auth-service's signing keys in tests of other services: an RSA key whose JWKS is
 * served over real HTTP, and RS256 tokens signed with it carrying the Cumulus claims. Services
 * verify them exactly as they verify auth-service's tokens.
 */
public final class TestJwtIssuer {

  private static TestJwtIssuer shared;

  private final RSAKey key;
  private final HttpServer server;

  private TestJwtIssuer(RSAKey key, HttpServer server) {
    this.key = key;
    this.server = server;
  }

  /** One issuer per test JVM, started on first use. */
  public static synchronized TestJwtIssuer shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /**
   * A new issuer with its own key and JWKS endpoint (a "foreign" issuer next to the shared one).
   */
  public static TestJwtIssuer start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/.well-known/jwks.json",
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
              body.write(jwks);
            }
          });
      server.start();
      return new TestJwtIssuer(key, server);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String jwksUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
  }

  /** Points {@code cumulus.security.jwks-uri} at this issuer. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("cumulus.security.jwks-uri", this::jwksUri);
  }

  /** A user token of the tenant (domain = tenant id, plan free) with the given roles. */
  public String token(String tenantId, String... roles) {
    return token(userClaims(tenantId, roles));
  }

  /** Typical claims of a user of the tenant, to adjust before calling {@link #token(Map)}. */
  public static Map<String, Object> userClaims(String tenantId, String... roles) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "user-of-" + tenantId);
    claims.put(CumulusClaims.TENANT_ID, tenantId);
    claims.put(CumulusClaims.TENANT_DOMAIN, tenantId);
    claims.put(CumulusClaims.PLAN, "free");
    claims.put(CumulusClaims.USERNAME, "user-of-" + tenantId);
    claims.put(CumulusClaims.ROLES, List.of(roles));
    claims.put(CumulusClaims.PERMISSIONS, List.of());
    return claims;
  }

  /** A token valid for an hour; {@code sub}, {@code iss}, {@code iat} and {@code exp} default. */
  public String token(Map<String, Object> claims) {
    return token(claims, Duration.ofHours(1));
  }

  /** A token expiring after {@code ttl} from now (negative: already expired). */
  public String token(Map<String, Object> claims, Duration ttl) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(CumulusClaims.DEFAULT_ISSUER)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(ttl.isNegative() ? now.plus(ttl).minusSeconds(60) : now))
            .expirationTime(Date.from(now.plus(ttl)));
    claims.forEach(builder::claim);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              builder.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
