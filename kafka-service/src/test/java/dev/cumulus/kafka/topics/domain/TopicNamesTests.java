package dev.cumulus.kafka.topics.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import org.junit.jupiter.api.Test;

/**
 * Broker names keep every tenant and instance under its own prefix, and reject what Kafka would.
 */
class TopicNamesTests {

  @Test
  void namesLiveUnderTheTenantAndInstancePrefix() {
    TopicNames names = new TopicNames("t1", "s1");
    assertThat(names.topic("user-events")).isEqualTo("tenant.t1.i.s1.user-events");
    assertThat(names.group("analytics")).isEqualTo("tenant.t1.i.s1.analytics");
    assertThat(TopicNames.eventTopic("t1")).isEqualTo("tenant.t1.events");
    assertThat(names.local("tenant.t1.i.s1.a.b")).isEqualTo("a.b");
    assertThat(names.owns("tenant.t1.i.s1.x")).isTrue();
    assertThat(names.owns("tenant.t1.i.s10.x")).isFalse();
    assertThat(names.owns("tenant.t1.events")).isFalse();
    assertThat(names.owns("tenant.t1.i.s1.")).isFalse();
  }

  @Test
  void idsWithDotsCannotReachIntoAnotherPrefix() {
    // "t1.i.s1" as a tenant id would otherwise own tenant t1's instance s1.
    assertThatThrownBy(() -> new TopicNames("t1.i.s1", "x")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> TopicNames.eventTopic("a.b")).isInstanceOf(ApiException.class);
  }

  @Test
  void illegalOrTooLongNamesAreRejected() {
    TopicNames names = new TopicNames("t1", "s1");
    for (String bad : new String[] {"", " ", "a b", "a/b", "ü", ".", ".."}) {
      assertThatThrownBy(() -> names.topic(bad)).as(bad).isInstanceOf(ApiException.class);
    }
    assertThat(names.topic("a".repeat(249 - names.prefix().length()))).hasSize(249);
    assertThatThrownBy(() -> names.topic("a".repeat(250 - names.prefix().length())))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void topicSpecMapsTheSeedFieldsToKafkaConfigs() {
    TopicSpec spec = TopicSpec.of("user-events", 6, 1, 604800000L, "snappy", "delete");
    assertThat(spec.partitions()).isEqualTo(6);
    assertThat(spec.replicationFactor()).isEqualTo((short) 1);
    assertThat(spec.configs())
        .containsEntry("retention.ms", "604800000")
        .containsEntry("compression.type", "snappy")
        .containsEntry("cleanup.policy", "delete");
    assertThat(TopicSpec.of("t", null, null, null, null, null).partitions()).isEqualTo(1);
    assertThatThrownBy(() -> TopicSpec.of("t", 0, null, null, null, null))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> TopicSpec.of("t", 1, null, -2L, null, null))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> TopicSpec.of("t", 1, null, null, "rar", null))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> TopicSpec.of("t", 1, null, null, null, "keep"))
        .isInstanceOf(ApiException.class);
  }
}
