package dev.cumulus.auth;

import dev.cumulus.auth.keys.application.TokenIssuer;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.testsupport.ServiceBootContract;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AuthApplicationIT extends ServiceBootContract {

  @Autowired TokenIssuer issuer;

  /** auth-service trusts only its own keys: its own issuer signs the contract's test tokens. */
  @Override
  protected String signed(Map<String, Object> claims) {
    return issuer.issue(CumulusPrincipal.fromClaims(claims), Duration.ofMinutes(5)).token();
  }

  /** auth-service trusts only its own keys: log in as the bootstrap administrator (seed 003). */
  @Override
  protected String validToken() {
    byte[] body =
        http.post()
            .uri("/api/tenants/auth/")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of("username", "admin", "password", "admin123", "tenant_domain", "default"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBodyContent();
    return AuthIT.JSON.readTree(body).path("data").path("token").asString();
  }
}
