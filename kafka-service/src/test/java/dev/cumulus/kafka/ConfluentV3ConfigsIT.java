package dev.cumulus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Topic configs through Confluent v3: read, set, reset and alter several, as the broker then
 * reports them; configs a tenant must not set are refused, at creation and later.
 */
class ConfluentV3ConfigsIT extends KafkaServiceIT {

  @Test
  void aTenantChangesItsTopicsConfigsWithinThePolicy() {
    String topic = "/kafka/v3/clusters/" + service + "/topics/orders";
    api.call(
        "POST", "/kafka/v3/clusters/" + service + "/topics", "{\"topic_name\":\"orders\"}", 201);

    api.call("PUT", topic + "/configs/retention.ms", "{\"value\":\"3600000\"}", 204);
    JsonNode retention = api.call("GET", topic + "/configs/retention.ms", null, 200);
    assertThat(retention.path("kind").asString()).isEqualTo("KafkaTopicConfig");
    assertThat(retention.path("value").asString()).isEqualTo("3600000");
    assertThat(retention.path("is_default").asBoolean()).isFalse();
    assertThat(retention.path("source").asString()).isEqualTo("DYNAMIC_TOPIC_CONFIG");

    api.call(
        "POST",
        topic + "/configs:alter",
        """
        {"data": [{"name": "cleanup.policy", "value": "compact"},
                  {"name": "max.message.bytes", "value": "65536"},
                  {"name": "retention.ms", "operation": "DELETE"}]}
        """,
        204);
    Map<String, JsonNode> configs = configs(topic);
    assertThat(configs.get("cleanup.policy").path("value").asString()).isEqualTo("compact");
    assertThat(configs.get("max.message.bytes").path("value").asString()).isEqualTo("65536");
    assertThat(configs.get("retention.ms").path("is_default").asBoolean()).isTrue();
    // The seed's topic details show the same
    assertThat(
            api.call("GET", base + "/topics/orders", null, 200)
                .path("configs")
                .path("cleanup.policy")
                .asString())
        .isEqualTo("compact");

    api.call("DELETE", topic + "/configs/cleanup.policy", null, 204);
    assertThat(configs(topic).get("cleanup.policy").path("value").asString()).isEqualTo("delete");
  }

  @Test
  void configsATenantMustNotSetAreRefused() {
    String cluster = "/kafka/v3/clusters/" + service;
    String topic = cluster + "/topics/logs";
    api.call("POST", cluster + "/topics", "{\"topic_name\":\"logs\"}", 201);

    // Beyond the tenant's data or wearing down the shared broker: 403, nothing changes
    for (String name :
        new String[] {
          "unclean.leader.election.enable",
          "flush.messages",
          "leader.replication.throttled.replicas",
          "min.insync.replicas",
          "remote.storage.enable"
        }) {
      JsonNode refused = api.call("PUT", topic + "/configs/" + name, "{\"value\":\"1\"}", 403);
      assertThat(refused.path("error_code").asInt()).isEqualTo(40300);
      assertThat(refused.path("message").asString()).contains(name);
    }
    assertThat(
            api.call("DELETE", topic + "/configs/flush.ms", null, 403).path("error_code").asInt())
        .isEqualTo(40300);
    api.call(
        "POST",
        topic + "/configs:alter",
        "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"1000\"},{\"name\":\"flush.ms\",\"value\":\"1\"}]}",
        403);
    assertThat(configs(topic).get("retention.ms").path("is_default").asBoolean()).isTrue();

    // Allowed configs, values out of range: 400
    assertThat(
            api.call("PUT", topic + "/configs/segment.ms", "{\"value\":\"10\"}", 400)
                .path("error_code")
                .asInt())
        .isEqualTo(40002);
    api.call("PUT", topic + "/configs/max.message.bytes", "{\"value\":\"104857600\"}", 400);
    api.call("PUT", topic + "/configs/cleanup.policy", "{\"value\":\"forever\"}", 400);
    api.call("PUT", topic + "/configs/retention.ms", "{}", 400);
    // An entry that is null or names nothing: 400, not a 500
    api.call("POST", topic + "/configs:alter", "{\"data\":[null]}", 400);
    api.call("POST", topic + "/configs:alter", "{\"data\":[{\"operation\":\"DELETE\"}]}", 400);

    // Creation goes by the same policy
    api.call(
        "POST",
        cluster + "/topics",
        "{\"topic_name\":\"fast\",\"configs\":[{\"name\":\"flush.messages\",\"value\":\"1\"}]}",
        403);
    api.call("GET", cluster + "/topics/fast", null, 404);

    // Unknown topic, another tenant's cluster
    api.call("PUT", cluster + "/topics/none/configs/retention.ms", "{\"value\":\"1000\"}", 404);
    String stranger =
        dev.cumulus.platform.testsupport.TestJwtIssuer.shared().token("t-other", "admin");
    assertThat(api.status("PUT", topic + "/configs/retention.ms", stranger, "{\"value\":\"1000\"}"))
        .isIn(403, 404);
    assertThat(api.status("GET", topic + "/configs", null, null)).isEqualTo(401);
  }

  private Map<String, JsonNode> configs(String topic) {
    Map<String, JsonNode> byName = new HashMap<>();
    api.call("GET", topic + "/configs", null, 200)
        .path("data")
        .forEach(c -> byName.put(c.path("name").asString(), c));
    return byName;
  }
}
