package dev.cumulus.function.sandbox.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.sandbox.domain.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bubblewrap command line: what a runtime process may see and use. */
class SandboxCommandTests {

  static final FunctionProperties.Sandbox SANDBOX =
      new FunctionProperties.Sandbox("/usr/bin/bwrap", 64, 256);
  static final FunctionProperties.Runtime NODE =
      new FunctionProperties.Runtime(
          List.of("/usr/bin/node", "--max-old-space-size={memory}", "/var/runtime/bootstrap.js"),
          "runtimes/bootstrap.js",
          List.of(),
          128,
          "");

  @Test
  void noNetworkNoSecretsReadOnlyRootAndAMemoryLimit() {
    List<String> argv = command(false);
    assertThat(argv).contains("--unshare-all").doesNotContain("--share-net", "/etc/resolv.conf");
    assertThat(following(argv, "--remount-ro")).isEqualTo("/");
    assertThat(argv.indexOf("--remount-ro")).isGreaterThan(argv.lastIndexOf("--ro-bind"));
    assertThat(following(argv, "--ro-bind", "/work/code/abc")).isEqualTo("/var/task");
    assertThat(argv).contains("--data=" + (256L + 128) * 1024 * 1024, "--max-old-space-size=256");
    // The function's environment travels over the protocol, never on a command line
    assertThat(String.join(" ", argv)).doesNotContain("s3cr3t");
    assertThat(Collections.frequency(argv, "--clearenv")).isEqualTo(1);
  }

  @Test
  void networkOnlyWhenAllowed() {
    List<String> argv = command(true);
    assertThat(argv).contains("--share-net", "/etc/resolv.conf");
  }

  private static List<String> command(boolean network) {
    Deployment deployment =
        new Deployment(
            "rev",
            "tenant",
            "service",
            "fn",
            "$LATEST",
            "arn",
            "nodejs20",
            "index.handler",
            "abc",
            256,
            Duration.ofSeconds(3),
            Map.of("TOKEN", "s3cr3t"),
            network,
            null);
    return SandboxCommand.of(
        SANDBOX, NODE, deployment, Path.of("/work/code/abc"), Path.of("/work/runtime"));
  }

  private static String following(List<String> argv, String flag) {
    return argv.get(argv.indexOf(flag) + 1);
  }

  private static String following(List<String> argv, String flag, String value) {
    for (int i = 0; i < argv.size() - 2; i++) {
      if (argv.get(i).equals(flag) && argv.get(i + 1).equals(value)) {
        return argv.get(i + 2);
      }
    }
    return null;
  }
}
