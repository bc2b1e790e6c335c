package dev.cumulus.kafka.restv3.web;

import java.util.Map;

/** The {@code kind}/{@code metadata} envelope of Confluent REST v3 resources. */
final class V3Links {

  private V3Links() {}

  static Map<String, Object> metadata(String self) {
    return Map.of("self", self);
  }
}
