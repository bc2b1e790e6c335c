package dev.cumulus.updater;

import dev.cumulus.platform.testsupport.CumulusTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The test settings every updater Spring test shares (one context for the module). */
final class UpdaterTestProperties {

  private UpdaterTestProperties() {}

  static void register(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "updater");
    registry.add("cumulus.updater.engine.docker-host", TestEngine::dockerHost);
    registry.add("cumulus.updater.updates.poll-interval", () -> "300ms");
    registry.add("cumulus.updater.updates.settle-time", () -> "1s");
    registry.add(
        "cumulus.updater.registry.insecure",
        () -> TestEngine.REGISTRY + ",localhost:5000," + PrivateRegistry.PLAIN.host());
    // HungUpdateIT: an update may run 8 s past its health-check timeout before it is given up.
    registry.add("cumulus.updater.updates.run-timeout", () -> "8s");
  }
}
