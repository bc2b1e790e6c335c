package dev.cumulus.database.rds.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.PlanLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RdsPlansTests {

  @Test
  void builtInPlansWithConfiguredSettingsOnTop() {
    RdsPlans plans =
        plans("free", Map.of("Pro", new RdsProperties.PlanSettings(75, null, null, null, null)));
    assertThat(plans.of("free")).isEqualTo(RdsPlans.DEFAULTS.get("free"));
    assertThat(plans.of("pro").connectionLimit()).isEqualTo(75);
    assertThat(plans.of("PRO").statementTimeout())
        .isEqualTo(RdsPlans.DEFAULTS.get("pro").statementTimeout());
    assertThat(plans.of("enterprise")).isEqualTo(RdsPlans.DEFAULTS.get("enterprise"));
  }

  @Test
  void anUnknownOrMissingPlanGetsTheDefaultPlansLimits() {
    RdsPlans plans =
        plans(
            "free",
            Map.of(
                "free",
                new RdsProperties.PlanSettings(null, Duration.ofSeconds(9), null, null, null)));
    assertThat(plans.of(null).statementTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(plans.of("team")).isEqualTo(plans.of("free"));
  }

  @Test
  void aNewConfiguredPlanStartsFromTheDefaultPlan() {
    RdsPlans plans =
        plans(
            "pro", Map.of("team", new RdsProperties.PlanSettings(null, null, "64MB", null, null)));
    PlanLimits team = plans.of("team");
    assertThat(team.workMem()).isEqualTo("64MB");
    assertThat(team.connectionLimit()).isEqualTo(RdsPlans.DEFAULTS.get("pro").connectionLimit());
  }

  @Test
  void aBadSettingStopsTheServiceAtStartUp() {
    assertThatThrownBy(
            () ->
                plans(
                    "free",
                    Map.of(
                        "free",
                        new RdsProperties.PlanSettings(null, null, "4MB'; DROP", null, null))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("work-mem");
    assertThatThrownBy(
            () ->
                plans(
                    "free",
                    Map.of("pro", new RdsProperties.PlanSettings(0, null, null, null, null))))
        .hasMessageContaining("connection-limit");
    assertThatThrownBy(
            () ->
                plans(
                    "free",
                    Map.of("pro", new RdsProperties.PlanSettings(null, null, null, "lots", null))))
        .hasMessageContaining("temp-file-limit");
  }

  @Test
  void eachPlanHasAStorageLimitInPostgresqlsUnits() {
    RdsPlans plans =
        plans(
            "free", Map.of("pro", new RdsProperties.PlanSettings(null, null, null, null, "512kB")));
    assertThat(plans.of("free").storageLimit()).isEqualTo("1GB");
    assertThat(plans.of("free").storageLimitBytes()).isEqualTo(1L << 30);
    assertThat(plans.of("pro").storageLimitBytes()).isEqualTo(512L * 1024);
    assertThat(plans.of("enterprise").storageLimitBytes()).isEqualTo(500L << 30);
    assertThat(new PlanLimits(5, Duration.ofSeconds(1), "4MB", "-1", "-1").storageLimitBytes())
        .isEqualTo(-1);
    assertThat(new PlanLimits(5, Duration.ofSeconds(1), "4MB", "-1", "2048").storageLimitBytes())
        .isEqualTo(2048);
    assertThatThrownBy(
            () ->
                plans(
                    "free",
                    Map.of("pro", new RdsProperties.PlanSettings(null, null, null, null, "1 GB"))))
        .hasMessageContaining("storage-limit");
  }

  @Test
  void roleSettingsAreTheOnesPostgresqlNames() {
    assertThat(new PlanLimits(5, Duration.ofMillis(1500), "4MB", "-1", "-1").roleSettings())
        .containsExactly(
            Map.entry("statement_timeout", "1500ms"),
            Map.entry("work_mem", "4MB"),
            Map.entry("temp_file_limit", "-1"));
  }

  private static RdsPlans plans(String defaultPlan, Map<String, RdsProperties.PlanSettings> set) {
    return new RdsPlans(
        new RdsProperties(
            new RdsProperties.Admin("127.0.0.1", 5432, "postgres", "", "postgres"),
            "",
            0,
            null,
            null,
            Path.of("data/rds"),
            null,
            new RdsProperties.Limits(
                4,
                Duration.ofMinutes(5),
                1000,
                1 << 20,
                Duration.ofSeconds(1),
                Duration.ofMinutes(3)),
            set,
            defaultPlan,
            Duration.ofMinutes(1),
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            null));
  }
}
