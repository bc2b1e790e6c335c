package dev.cumulus.queue.queues.persistence;

import dev.cumulus.queue.queues.domain.MessageAttribute;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** Message attributes and tags as jsonb: {@code {name: {"t": type, "s"|"b": value}}}. */
final class AttributeColumns {

  private final ObjectMapper json;

  AttributeColumns(ObjectMapper json) {
    this.json = json;
  }

  String write(Map<String, MessageAttribute> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    ObjectNode root = json.createObjectNode();
    attributes.forEach(
        (name, attribute) -> {
          ObjectNode node = root.putObject(name);
          node.put("t", attribute.dataType());
          if (attribute.binary()) {
            node.put("b", Base64.getEncoder().encodeToString(attribute.binaryValue()));
          } else {
            node.put("s", attribute.stringValue());
          }
        });
    return json.writeValueAsString(root);
  }

  Map<String, MessageAttribute> read(String text) {
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    if (text == null) {
      return attributes;
    }
    for (Map.Entry<String, JsonNode> entry : json.readTree(text).properties()) {
      JsonNode node = entry.getValue();
      String binary = node.path("b").asString(null);
      attributes.put(
          entry.getKey(),
          new MessageAttribute(
              node.path("t").asString(),
              node.path("s").asString(null),
              binary == null ? null : Base64.getDecoder().decode(binary)));
    }
    return attributes;
  }

  String writeTags(Map<String, String> tags) {
    return json.writeValueAsString(tags);
  }

  Map<String, String> readTags(String text) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (text != null) {
      json.readTree(text).properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
    }
    return tags;
  }
}
