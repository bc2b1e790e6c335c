package dev.cumulus.integration.webhook.persistence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** An endpoint's custom headers as the {@code headers} jsonb column holds them. */
final class HeaderColumn {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  private HeaderColumn() {}

  static String write(Map<String, String> headers) {
    return JSON.writeValueAsString(headers == null ? Map.of() : headers);
  }

  static Map<String, String> read(String json) {
    return json == null ? Map.of() : Collections.unmodifiableMap(JSON.readValue(json, MAP));
  }
}
