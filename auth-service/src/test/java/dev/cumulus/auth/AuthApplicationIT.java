package dev.cumulus.auth;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AuthApplicationIT extends ServiceBootContract {

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
