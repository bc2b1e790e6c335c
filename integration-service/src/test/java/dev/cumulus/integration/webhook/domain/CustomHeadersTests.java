package dev.cumulus.integration.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomHeadersTests {

  @Test
  void ordinaryHeadersPass() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer abc.def");
    headers.put("X-Team", "billing\tprod");
    assertThat(CustomHeaders.problem(headers)).isNull();
    assertThat(CustomHeaders.problem(Map.of())).isNull();
  }

  @Test
  void hopByHopHeadersAreRefusedInAnyCase() {
    for (String name :
        new String[] {
          "Connection", "keep-alive", "TE", "Transfer-Encoding", "Upgrade", "Trailer"
        }) {
      assertThat(CustomHeaders.problem(Map.of(name, "x"))).contains("hop-by-hop");
    }
  }

  @Test
  void theSendersHeadersAreRefused() {
    for (String name :
        new String[] {
          "webhook-id",
          "Webhook-Signature",
          "webhook-timestamp",
          "X-Signature",
          "Host",
          "Content-Length",
          "Content-Type"
        }) {
      assertThat(CustomHeaders.problem(Map.of(name, "x"))).contains("set by Cumulus");
    }
  }

  @Test
  void injectionAndBadNamesAreRefused() {
    assertThat(CustomHeaders.problem(Map.of("X-A", "ok\r\nX-Evil: 1"))).contains("printable");
    assertThat(CustomHeaders.problem(Map.of("X A", "v"))).contains("not a valid header name");
    assertThat(CustomHeaders.problem(Map.of("X-Long", "v".repeat(1025)))).contains("1024");
    Map<String, String> twice = new LinkedHashMap<>();
    twice.put("X-A", "1");
    twice.put("x-a", "2");
    assertThat(CustomHeaders.problem(twice)).contains("twice");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= CustomHeaders.MAX_HEADERS; i++) {
      many.put("X-" + i, "v");
    }
    assertThat(CustomHeaders.problem(many)).contains("at most");
  }
}
