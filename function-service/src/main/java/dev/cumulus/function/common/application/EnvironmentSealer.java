package dev.cumulus.function.common.application;

import dev.cumulus.platform.crypto.MasterKey;
import io.r2dbc.postgresql.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Seals functions' environment variables at rest: the JSON column holds {@code {"$sealed":
 * base64(AES-GCM)}} under the service's master key, with the owning row's identity as associated
 * data, so a sealed value copied onto another function does not open. Rows written before sealing
 * (a plain map: no variable can be named {@code $sealed}) still read.
 *
 * <p>Integration-service seals its webhook secrets the same way (its {@code SecretSealer}): a
 * string sealer would belong in platform next to {@link MasterKey}.
 */
@Component
public class EnvironmentSealer {

  private static final String SEALED = "$sealed";
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private final MasterKey key;
  private final ObjectMapper json;

  public EnvironmentSealer(MasterKey functionMasterKey, ObjectMapper json) {
    this.key = functionMasterKey;
    this.json = json;
  }

  /** The column value for {@code environment}, sealed to {@code owner}. */
  public Json seal(Map<String, String> environment, String owner) {
    byte[] plain = json.writeValueAsString(environment).getBytes(StandardCharsets.UTF_8);
    String sealed = Base64.getEncoder().encodeToString(key.encrypt(plain, owner));
    return Json.of(json.writeValueAsString(Map.of(SEALED, sealed)));
  }

  /** The variables of a column value written by {@link #seal} (or before sealing existed). */
  public Map<String, String> open(String column, String owner) {
    JsonNode node = json.readTree(column);
    if (!node.has(SEALED)) {
      return new TreeMap<>(json.convertValue(node, STRINGS));
    }
    byte[] sealed = Base64.getDecoder().decode(node.get(SEALED).asString());
    return new TreeMap<>(json.readValue(key.decrypt(sealed, owner), STRINGS));
  }
}
