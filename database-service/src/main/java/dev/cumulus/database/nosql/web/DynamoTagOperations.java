package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.TableTags;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.platform.instance.Instance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** TagResource, UntagResource, ListTagsOfResource: tables named by their ARN. */
@Component
class DynamoTagOperations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Any region and account: an access key only reaches its own instance's tables anyway.
  private static final Pattern TABLE_ARN =
      Pattern.compile("arn:aws:dynamodb:[^:]*:[^:]*:table/([^/]+)");

  private final TableTags tags;

  DynamoTagOperations(TableTags tags) {
    this.tags = tags;
  }

  Map<String, DynamoOperation> operations() {
    return Map.of(
        "TagResource", this::tag,
        "UntagResource", this::untag,
        "ListTagsOfResource", this::list);
  }

  private Mono<ObjectNode> tag(Instance instance, String region, JsonNode request) {
    String table = tableOf(request);
    Map<String, String> added = tags(Fields.array(request, "Tags"));
    if (added.isEmpty()) {
      throw DynamoException.validation(
          "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member"
              + " must have length greater than or equal to 1");
    }
    return tags.tag(instance, table, added).thenReturn(NODES.objectNode());
  }

  private Mono<ObjectNode> untag(Instance instance, String region, JsonNode request) {
    String table = tableOf(request);
    JsonNode keys = Fields.array(request, "TagKeys");
    List<String> names = new ArrayList<>();
    if (keys != null) {
      keys.forEach(key -> names.add(key.asString()));
    }
    return tags.untag(instance, table, names).thenReturn(NODES.objectNode());
  }

  private Mono<ObjectNode> list(Instance instance, String region, JsonNode request) {
    return tags.list(instance, tableOf(request))
        .map(
            entries -> {
              ObjectNode out = NODES.objectNode();
              ArrayNode array = out.putArray("Tags");
              entries.forEach(
                  e -> array.addObject().put("Key", e.getKey()).put("Value", e.getValue()));
              return out;
            });
  }

  /** The Tags member of TagResource and CreateTable ({@code [{"Key","Value"}]}), in order. */
  static Map<String, String> tags(JsonNode array) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (array != null) {
      for (JsonNode tag : array) {
        tags.put(Fields.required(tag, "Key"), Fields.required(tag, "Value"));
      }
    }
    TableTags.validate(tags);
    return tags;
  }

  private static String tableOf(JsonNode request) {
    String arn = Fields.required(request, "ResourceArn");
    Matcher matcher = TABLE_ARN.matcher(arn);
    if (!matcher.matches()) {
      throw DynamoException.validation(
          "Invalid TableArn: Invalid ResourceArn provided as input " + arn);
    }
    return matcher.group(1);
  }
}
