package dev.cumulus.updater.container.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRulesTests {

  @Test
  void cronAcceptsTheSeedsFiveFieldsAndSpringsSix() {
    assertThat(CronSchedule.isValid("0 2 * * *")).isTrue();
    assertThat(CronSchedule.isValid("*/5 * * * * *")).isTrue();
    assertThat(CronSchedule.isValid("every night")).isFalse();
    assertThat(CronSchedule.isValid("61 * * * *")).isFalse();
    assertThat(CronSchedule.next("0 2 * * *", Instant.parse("2024-09-16T10:00:00Z")))
        .isEqualTo(Instant.parse("2024-09-17T02:00:00Z"));
  }

  @Test
  void sizesAndCpusReadLikeTheSeedWritesThem() {
    assertThat(ContainerRules.memoryBytes("512MB")).isEqualTo(512L << 20);
    assertThat(ContainerRules.memoryBytes("1GB")).isEqualTo(1L << 30);
    assertThat(ContainerRules.memoryBytes("lots")).isEqualTo(-1);
    assertThat(ContainerRules.nanoCpus("1.5")).isEqualTo(1_500_000_000L);
    assertThat(ContainerRules.nanoCpus("-1")).isEqualTo(-1);
  }

  @Test
  void everyBadFieldIsNamed() {
    var config =
        new ContainerConfig(
            List.of(
                new ContainerConfig.Port(8080, 80, "tcp"),
                new ContainerConfig.Port(8080, 81, "tcp"),
                new ContainerConfig.Port(0, 70000, "sctp")),
            Map.of(),
            List.of(new ContainerConfig.Mount("relative", "/data", "rx")),
            List.of(),
            Map.of(),
            "sometimes",
            "zero",
            "much");
    Map<String, List<String>> errors = new LinkedHashMap<>(ContainerRules.checkName("ok-name"));
    ContainerRules.checkImage("Not An Image", errors);
    ContainerRules.checkConfig(config, errors);
    ContainerRules.checkPolicy(new UpdatePolicy("always", "bluegreen", "x", true, 0), errors);
    assertThat(errors)
        .containsKeys(
            "image",
            "config.ports",
            "config.volumes",
            "config.restart_policy",
            "config.cpu_limit",
            "config.memory_limit",
            "update_policy.policy",
            "update_policy.strategy",
            "update_policy.schedule",
            "update_policy.health_check_timeout");
    assertThat(errors.get("config.ports")).anyMatch(m -> m.contains("listed twice"));
  }

  @Test
  void engineStatesReadAsTheSeedsStatuses() {
    assertThat(ContainerStatus.fromEngine("running", 0)).isEqualTo("running");
    assertThat(ContainerStatus.fromEngine("exited", 0)).isEqualTo("stopped");
    assertThat(ContainerStatus.fromEngine("exited", 137)).isEqualTo("stopped");
    assertThat(ContainerStatus.fromEngine("exited", 1)).isEqualTo("error");
    assertThat(ContainerStatus.fromEngine("created", null)).isEqualTo("starting");
    assertThat(ContainerStatus.fromEngine("dead", null)).isEqualTo("error");
  }
}
