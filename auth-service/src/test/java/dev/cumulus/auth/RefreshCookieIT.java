package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The console's refresh token as a cookie (docs/console.md): set on login when the console asks,
 * HttpOnly, SameSite=Strict, sent only to /api/auth/refresh, rotated there, cleared on logout and
 * when it stops working; read only with the console's header from the same origin.
 */
class RefreshCookieIT extends AuthIT {

  private static final String CONSOLE = "X-Cumulus-Client";

  /** The tenant's boss logs in (200), with {@code headers} as name, value pairs. */
  private EntityExchangeResult<byte[]> login(Tenant tenant, String... headers) {
    WebTestClient.RequestBodySpec spec =
        http.post().uri("/api/auth/login").header("X-Forwarded-For", randomIp());
    for (int i = 0; i < headers.length; i += 2) {
      spec.header(headers[i], headers[i + 1]);
    }
    return spec.contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", "boss@" + tenant.domain(), "password", "boss-password"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> consoleLogin(Tenant tenant, String... headers) {
    List<String> all =
        new ArrayList<>(List.of("X-Tenant-Domain", tenant.domain(), CONSOLE, "console"));
    all.addAll(List.of(headers));
    return login(tenant, all.toArray(String[]::new));
  }

  /** A new tenant's boss, logged in through the console: the answer and its refresh cookie. */
  private record ConsoleSession(Tenant tenant, EntityExchangeResult<byte[]> login, String cookie) {}

  private ConsoleSession consoleSession() {
    Tenant tenant = newTenant("pro");
    EntityExchangeResult<byte[]> login = consoleLogin(tenant);
    return new ConsoleSession(tenant, login, refreshCookie(login).getValue());
  }

  private WebTestClient.ResponseSpec refresh(String cookie, String... headers) {
    WebTestClient.RequestBodySpec spec = http.post().uri("/api/auth/refresh");
    if (cookie != null) {
      spec.cookie("cumulus_refresh", cookie);
    }
    for (int i = 0; i < headers.length; i += 2) {
      spec.header(headers[i], headers[i + 1]);
    }
    return spec.exchange();
  }

  private static ResponseCookie refreshCookie(EntityExchangeResult<?> result) {
    ResponseCookie cookie = result.getResponseCookies().getFirst("cumulus_refresh");
    assertThat(cookie).as("Set-Cookie cumulus_refresh").isNotNull();
    return cookie;
  }

  private static JsonNode body(EntityExchangeResult<byte[]> result) {
    return JSON.readTree(result.getResponseBodyContent());
  }

  @Test
  void theConsolesLoginSetsTheCookieAndKeepsTheTokenOutOfTheBody() throws Exception {
    ConsoleSession session = consoleSession();
    Tenant tenant = session.tenant();
    EntityExchangeResult<byte[]> login = session.login();
    ResponseCookie cookie = refreshCookie(login);
    assertThat(cookie.getValue()).isNotBlank();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.getPath()).isEqualTo("/api/auth/refresh");
    assertThat(cookie.getMaxAge().toSeconds()).isEqualTo(7 * 24 * 3600);
    assertThat(cookie.isSecure()).as("plain http").isFalse();
    JsonNode data = body(login).path("data");
    assertThat(data.has("refresh_token")).isFalse();
    assertThat(verified(data.path("access_token").asString()))
        .containsEntry("tenant_domain", tenant.domain());
    assertThat(body(login).toString()).doesNotContain(cookie.getValue());

    // Behind https (a proxy in front of the gateway): Secure.
    assertThat(refreshCookie(consoleLogin(tenant, "X-Forwarded-Proto", "https,http")).isSecure())
        .isTrue();

    // Any other client: the token in the body, as seed 002 says, and no cookie.
    EntityExchangeResult<byte[]> plain = login(tenant);
    assertThat(plain.getResponseCookies()).doesNotContainKey("cumulus_refresh");
    assertThat(body(plain).path("data").path("refresh_token").asString()).isNotBlank();
  }

  @Test
  void refreshReadsTheCookieRotatesItAndAReusedOneEndsTheSession() throws Exception {
    ConsoleSession session = consoleSession();
    String first = session.cookie();

    EntityExchangeResult<byte[]> refreshed =
        refresh(first, CONSOLE, "console", "Sec-Fetch-Site", "same-origin")
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    ResponseCookie second = refreshCookie(refreshed);
    assertThat(second.getValue()).isNotBlank().isNotEqualTo(first);
    assertThat(second.isHttpOnly()).isTrue();
    assertThat(second.getPath()).isEqualTo("/api/auth/refresh");
    JsonNode data = body(refreshed).path("data");
    assertThat(data.has("refresh_token")).isFalse();
    assertThat(data.path("expires_in").asLong()).isPositive();
    assertThat(verified(data.path("access_token").asString()))
        .containsEntry("tenant_domain", session.tenant().domain());

    // The spent cookie again: reuse, the session ends, and the answer drops the cookie.
    EntityExchangeResult<byte[]> reused =
        refresh(first, CONSOLE, "console")
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .returnResult();
    assertThat(body(reused).path("success").asBoolean()).isFalse();
    ResponseCookie cleared = refreshCookie(reused);
    assertThat(cleared.getValue()).isEmpty();
    assertThat(cleared.getMaxAge().isZero()).isTrue();
    assertThat(cleared.getPath()).isEqualTo("/api/auth/refresh");
    refresh(second.getValue(), CONSOLE, "console").expectStatus().isUnauthorized();
  }

  @Test
  void theCookieIsReadOnlyWithTheConsolesHeaderFromTheSameOrigin() {
    String cookie = consoleSession().cookie();

    // A cross-site form cannot add the header.
    JsonNode noHeader = json(refresh(cookie).expectStatus().isBadRequest());
    assertThat(noHeader.path("success").asBoolean()).isFalse();
    // A browser's own word on where the call comes from.
    json(
        refresh(cookie, CONSOLE, "console", "Sec-Fetch-Site", "cross-site")
            .expectStatus()
            .isForbidden());
    json(
        refresh(cookie, CONSOLE, "console", "Sec-Fetch-Site", "same-site")
            .expectStatus()
            .isForbidden());
    // Without Sec-Fetch-Site, Origin must name the host the gateway was addressed by.
    json(
        refresh(
                cookie,
                CONSOLE,
                "console",
                "X-Forwarded-Host",
                "console.example:8080",
                "Origin",
                "http://evil.example:8080")
            .expectStatus()
            .isForbidden());
    json(
        refresh(
                cookie,
                CONSOLE,
                "console",
                "X-Forwarded-Host",
                "evil.example:8080,console.example:8080",
                "Origin",
                "http://evil.example:8080")
            .expectStatus()
            .isForbidden());
    json(refresh(null, CONSOLE, "console").expectStatus().isUnauthorized());
    // None of the refusals spent the cookie.
    refresh(
            cookie,
            CONSOLE,
            "console",
            "X-Forwarded-Host",
            "console.example:8080",
            "Origin",
            "http://console.example:8080")
        .expectStatus()
        .isOk();
  }

  @Test
  void logoutClearsTheCookieAndEndsItsToken() {
    ConsoleSession session = consoleSession();
    String cookie = session.cookie();
    String access = body(session.login()).path("data").path("access_token").asString();

    EntityExchangeResult<byte[]> logout =
        http.post()
            .uri("/api/auth/logout")
            .header("Authorization", "Bearer " + access)
            .header(CONSOLE, "console")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    ResponseCookie cleared = refreshCookie(logout);
    assertThat(cleared.getValue()).isEmpty();
    assertThat(cleared.getMaxAge().isZero()).isTrue();
    assertThat(cleared.isHttpOnly()).isTrue();
    refresh(cookie, CONSOLE, "console").expectStatus().isUnauthorized();
  }
}
