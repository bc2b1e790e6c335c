package dev.cumulus.kafka.topics.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import org.junit.jupiter.api.Test;

class TopicConfigPolicyTests {

  private final TopicConfigPolicy policy = new TopicConfigPolicy(1_048_576);

  @Test
  void allowedConfigsWithinTheirRangesPass() {
    assertThatCode(
            () -> {
              policy.check("retention.ms", "-1");
              policy.check("retention.bytes", "1073741824");
              policy.check("cleanup.policy", "compact, delete");
              policy.check("compression.type", "zstd");
              policy.check("min.cleanable.dirty.ratio", "0.5");
              policy.check("segment.ms", "60000");
              policy.check("max.message.bytes", "1048576");
              policy.check("message.timestamp.type", "LogAppendTime");
              policy.checkName("retention.ms");
            })
        .doesNotThrowAnyException();
  }

  @Test
  void configsBeyondTheTenantAreForbidden() {
    for (String name :
        new String[] {
          "flush.messages",
          "flush.ms",
          "unclean.leader.election.enable",
          "segment.bytes",
          "follower.replication.throttled.replicas",
          "remote.storage.enable",
          "preallocate"
        }) {
      assertThatThrownBy(() -> policy.check(name, "1"))
          .isInstanceOfSatisfying(
              ApiException.class,
              e ->
                  org.assertj.core.api.Assertions.assertThat(e.kind())
                      .isEqualTo(ErrorKind.FORBIDDEN));
      assertThatThrownBy(() -> policy.checkName(name)).isInstanceOf(ApiException.class);
    }
  }

  @Test
  void aConfigWithoutANameIsAMissingParameter() {
    for (Runnable check :
        new Runnable[] {() -> policy.check(null, "1"), () -> policy.checkName(null)}) {
      assertThatThrownBy(check::run)
          .isInstanceOfSatisfying(
              ApiException.class,
              e ->
                  org.assertj.core.api.Assertions.assertThat(e.code())
                      .isEqualTo("MissingParameter"));
    }
  }

  @Test
  void valuesOutOfRangeAreBadRequests() {
    String[][] bad = {
      {"retention.ms", "-2"},
      {"retention.ms", "1.5"},
      {"retention.ms", "soon"},
      {"segment.ms", "1000"},
      {"max.message.bytes", "1048577"},
      {"max.message.bytes", "0"},
      {"min.cleanable.dirty.ratio", "2"},
      {"cleanup.policy", "forever"},
      {"compression.type", "brotli"},
      {"retention.ms", null}
    };
    for (String[] config : bad) {
      assertThatThrownBy(() -> policy.check(config[0], config[1]))
          .as("%s=%s", config[0], config[1])
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("InvalidConfig"));
    }
  }
}
