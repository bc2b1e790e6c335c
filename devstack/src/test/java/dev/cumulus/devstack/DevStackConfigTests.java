package dev.cumulus.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevStackConfigTests {

  @Test
  void defaultsServeTheUsualLocalPorts() {
    DevStackConfig config = DevStackConfig.from(new String[0], Map.of());

    assertThat(config.dataDir()).isEqualTo(Path.of(".cumulus/data").toAbsolutePath());
    assertThat(config.envFile()).isEqualTo(Path.of(".cumulus/run/devstack.env").toAbsolutePath());
    assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(config.controllerPort()).isEqualTo(9093);
    assertThat(config.pgHost()).isEqualTo("127.0.0.1");
    assertThat(config.pgPort()).isEqualTo(5432);
    assertThat(config.redisPort()).isEqualTo(6379);
  }

  @Test
  void optionsWinOverEnvironmentWhichWinsOverDefaults() {
    Map<String, String> env =
        Map.of(
            "CUMULUS_DATA_DIR",
            "/env/data",
            "CUMULUS_KAFKA_BROKER_PORT",
            "19092",
            "CUMULUS_PG_PORT",
            "15432");

    DevStackConfig config =
        DevStackConfig.from(new String[] {"--data-dir", "/opt/data", "--pg-port=25432"}, env);

    assertThat(config.dataDir()).isEqualTo(Path.of("/opt/data"));
    assertThat(config.kafkaPort()).isEqualTo(19092);
    assertThat(config.pgPort()).isEqualTo(25432);
  }

  @Test
  void rejectsUnknownOptionsAndBadPorts() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DevStackConfig.from(new String[] {"--nope", "1"}, Map.of()))
        .withMessageContaining("--nope");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DevStackConfig.from(new String[] {"--kafka-port", "x"}, Map.of()))
        .withMessageContaining("not a port");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                DevStackConfig.from(
                    new String[] {"--kafka-port", "9000", "--controller-port", "9000"}, Map.of()));
  }
}
