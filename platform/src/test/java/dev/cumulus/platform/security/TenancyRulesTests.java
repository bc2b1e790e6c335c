package dev.cumulus.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class TenancyRulesTests {

  static CumulusPrincipal user(String tenant, String... roles) {
    return new CumulusPrincipal(
        "1",
        tenant,
        tenant + ".example",
        "free",
        "u",
        null,
        List.of(roles),
        List.of(),
        null,
        List.of(),
        null,
        null);
  }

  static CumulusPrincipal key(String tenant, List<String> scopes, String serviceId) {
    return new CumulusPrincipal(
        "key:k", tenant, tenant, "free", null, null, List.of(), List.of(), "k", scopes, serviceId,
        null);
  }

  @Test
  void parsesInstancePathsOfTheSixTypesOnly() {
    assertThat(TenancyRules.InstancePath.of("/api/queue/t1/s1/messages"))
        .isEqualTo(new TenancyRules.InstancePath("t1", "s1"));
    assertThat(TenancyRules.InstancePath.of("/api/kafka/t1"))
        .isEqualTo(new TenancyRules.InstancePath("t1", null));
    assertThat(TenancyRules.InstancePath.of("/api/kafka/t1/"))
        .isEqualTo(new TenancyRules.InstancePath("t1", null));
    assertThat(TenancyRules.InstancePath.of("/api/services/s1"))
        .isEqualTo(TenancyRules.InstancePath.NONE);
    assertThat(TenancyRules.InstancePath.of("/api/queue"))
        .isEqualTo(TenancyRules.InstancePath.NONE);
    assertThat(TenancyRules.InstancePath.of("/v1/functions"))
        .isEqualTo(TenancyRules.InstancePath.NONE);
  }

  @Test
  void ownTenantPassesOtherTenantIsForbiddenUnlessPlatformAdmin() {
    assertThatCode(
            () -> TenancyRules.check(user("a"), HttpMethod.GET, "/api/s3storage/a/s/x", null))
        .doesNotThrowAnyException();
    assertForbidden(
        () -> TenancyRules.check(user("a"), HttpMethod.GET, "/api/s3storage/b/s/x", null));
    assertForbidden(
        () -> TenancyRules.check(user("a"), HttpMethod.GET, "/api/tenants/users/", "b.example"));
    assertThatCode(
            () -> TenancyRules.check(user("a"), HttpMethod.GET, "/api/tenants/users/", "a.example"))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                TenancyRules.check(
                    user("default", "platform_admin"), HttpMethod.DELETE, "/api/queue/b/s/x", "b"))
        .doesNotThrowAnyException();
    // A tenant admin is not a platform admin.
    assertForbidden(
        () -> TenancyRules.check(user("a", "admin"), HttpMethod.GET, "/api/queue/b/s", null));
  }

  @Test
  void instanceKeysStayOnTheirInstanceAndReadKeysOnlyRead() {
    CumulusPrincipal bound = key("a", List.of("read", "write"), "s1");
    assertThatCode(() -> TenancyRules.check(bound, HttpMethod.PUT, "/api/queue/a/s1/m", null))
        .doesNotThrowAnyException();
    assertForbidden(() -> TenancyRules.check(bound, HttpMethod.GET, "/api/queue/a/s2/m", null));
    assertForbidden(() -> TenancyRules.check(bound, HttpMethod.GET, "/api/orders", null));
    // It may read its own control-plane record, but not list, read another or delete.
    assertThatCode(() -> TenancyRules.check(bound, HttpMethod.GET, "/api/services/s1", null))
        .doesNotThrowAnyException();
    assertForbidden(() -> TenancyRules.check(bound, HttpMethod.GET, "/api/services", null));
    assertForbidden(() -> TenancyRules.check(bound, HttpMethod.GET, "/api/services/s2", null));
    assertForbidden(() -> TenancyRules.check(bound, HttpMethod.DELETE, "/api/services/s1", null));
    assertForbidden(() -> TenancyRules.check(bound, HttpMethod.GET, "/api/services/s1x", null));
    // Likewise its own instance's traffic metrics (issue 32), and no other instance's.
    for (String own : List.of("/api/metrics/instances/s1", "/api/metrics/instances/s1/")) {
      assertThatCode(() -> TenancyRules.check(bound, HttpMethod.GET, own, null))
          .doesNotThrowAnyException();
    }
    assertForbidden(
        () -> TenancyRules.check(bound, HttpMethod.GET, "/api/metrics/instances/s2", null));
    assertForbidden(
        () -> TenancyRules.check(bound, HttpMethod.GET, "/api/metrics/instances/s1/x", null));
    assertForbidden(
        () -> TenancyRules.check(bound, HttpMethod.POST, "/api/metrics/instances/s1", null));

    CumulusPrincipal reader = key("a", List.of("read"), null);
    assertThatCode(() -> TenancyRules.check(reader, HttpMethod.HEAD, "/api/orders", null))
        .doesNotThrowAnyException();
    assertForbidden(() -> TenancyRules.check(reader, HttpMethod.POST, "/api/orders", null));
    assertThatCode(
            () ->
                TenancyRules.check(
                    key("a", List.of("*"), null), HttpMethod.POST, "/api/orders", null))
        .doesNotThrowAnyException();
  }

  private static void assertForbidden(Runnable check) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
  }
}
