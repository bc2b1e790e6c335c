package dev.cumulus.platform.web.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.context.CumulusContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Each family's success body, key for key and in the seed's order. */
class EnvelopesTests {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void autoUpdateCarriesTheRequestIdAndLeavesOutMissingData() {
    AutoUpdateResponse<Object> logout =
        AutoUpdateResponse.of("Logged out", null)
            .contextWrite(c -> c.put(CumulusContext.REQUEST_ID, "req-1"))
            .block();
    String body = json.writeValueAsString(logout);
    assertThat(body)
        .startsWith(
            "{\"success\":true,\"message\":\"Logged out\",\"meta\":{\"request_id\":\"req-1\"")
        .contains("\"version\":\"v1\"")
        .doesNotContain("\"data\"");
    String withData = json.writeValueAsString(AutoUpdateResponse.of("OK", Map.of("id", 1)).block());
    assertThat(withData).startsWith("{\"success\":true,\"message\":\"OK\",\"data\":{\"id\":1},");
  }

  @Test
  void multiTenantWrapsListsInResultsAndKeepsNullData() {
    assertThat(json.writeValueAsString(MultiTenantResponse.results(List.of("a"))))
        .isEqualTo(
            "{\"status\":\"success\",\"message\":\"Success\",\"data\":{\"results\":[\"a\"]}}");
    assertThat(json.writeValueAsString(MultiTenantResponse.success("Done", null)))
        .isEqualTo("{\"status\":\"success\",\"message\":\"Done\",\"data\":null}");
  }

  @Test
  void cloudIntegrationShowsPaginationAndMessageOnlyWhereGiven() {
    assertThat(json.writeValueAsString(CloudIntegrationResponse.of(Map.of("id", "o1"))))
        .isEqualTo("{\"success\":true,\"data\":{\"id\":\"o1\"}}");
    assertThat(json.writeValueAsString(CloudIntegrationResponse.of(Map.of(), "Order created")))
        .isEqualTo("{\"success\":true,\"data\":{},\"message\":\"Order created\"}");
    assertThat(json.writeValueAsString(CloudIntegrationResponse.page(List.of(), "k1")))
        .isEqualTo(
            "{\"success\":true,\"data\":[],\"pagination\":{\"lastKey\":\"k1\",\"hasMore\":true}}");
  }
}
