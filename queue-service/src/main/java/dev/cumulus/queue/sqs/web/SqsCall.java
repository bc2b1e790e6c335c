package dev.cumulus.queue.sqs.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.queue.queues.domain.QueueErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One verified SQS request: whose access key signed it, its JSON input, and where queue URLs point
 * ({@code <base>/<serviceId>/<queue>}).
 */
record SqsCall(
    String tenantId, String serviceId, String accessKeyId, JsonNode input, String baseUrl) {

  String queueUrl(String name) {
    return baseUrl + "/" + serviceId + "/" + name;
  }

  /** The queue name of the input's QueueUrl; AccessDenied for another instance's queue. */
  String queueName() {
    String url = requiredString("QueueUrl");
    String path = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "");
    String[] parts = path.split("/");
    if (parts.length < 2) {
      throw QueueErrors.of(
          ErrorKind.NOT_FOUND, "QueueDoesNotExist", "The specified queue does not exist.");
    }
    String name = parts[parts.length - 1];
    String owner = parts[parts.length - 2];
    if (!owner.equals(serviceId)) {
      throw QueueErrors.of(
          ErrorKind.FORBIDDEN, "AccessDenied", "Access to the resource " + url + " is denied.");
    }
    return name;
  }

  String string(String field) {
    JsonNode node = input.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw QueueErrors.invalidParameter("Value for parameter " + field + " must be a string.");
    }
    return node.asString();
  }

  String requiredString(String field) {
    String value = string(field);
    if (value == null) {
      throw QueueErrors.missingParameter(field);
    }
    return value;
  }

  Integer integer(String field) {
    return integer(input, field);
  }

  static Integer integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.asInt();
    }
    if (value.isString() && value.asString().matches("-?\\d{1,9}")) {
      return Integer.parseInt(value.asString());
    }
    throw QueueErrors.invalidParameter("Value for parameter " + field + " must be an integer.");
  }

  List<String> strings(String field) {
    List<String> values = new ArrayList<>();
    JsonNode node = input.get(field);
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isArray()) {
      throw QueueErrors.invalidParameter("Value for parameter " + field + " must be a list.");
    }
    node.forEach(v -> values.add(scalar(v, field)));
    return values;
  }

  Map<String, String> stringMap(String field) {
    Map<String, String> values = new LinkedHashMap<>();
    JsonNode node = input.get(field);
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      throw QueueErrors.invalidParameter("Value for parameter " + field + " must be a map.");
    }
    node.properties().forEach(e -> values.put(e.getKey(), scalar(e.getValue(), field)));
    return values;
  }

  /** A list's or map's value as text; a nested list or map is the caller's error, not a 500. */
  private static String scalar(JsonNode value, String field) {
    if (value.isContainer()) {
      throw QueueErrors.invalidParameter(
          "Value for parameter " + field + " must hold strings, not lists or maps.");
    }
    return value.asString();
  }

  List<JsonNode> entries() {
    JsonNode node = input.get("Entries");
    List<JsonNode> entries = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(entries::add);
    }
    return entries;
  }
}
