package dev.cumulus.function.containers.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code cumulus.function.containers.backend} picks one backend and only its client. */
class BackendSelectionTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ContainerProperties.class)
  static class Properties {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(
              Properties.class,
              DockerConfiguration.class,
              DockerBackend.class,
              KubernetesConfiguration.class,
              KubernetesBackend.class);

  @Test
  void dockerIsTheDefault() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ContainerBackend.class);
          assertThat(context.getBean(ContainerBackend.class)).isInstanceOf(DockerBackend.class);
          assertThat(context).hasSingleBean(DockerClient.class);
          assertThat(context).doesNotHaveBean(KubernetesClient.class);
        });
  }

  @Test
  void kubernetesWhenConfigured() {
    runner
        .withPropertyValues("cumulus.function.containers.backend=kubernetes")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ContainerBackend.class);
              assertThat(context.getBean(ContainerBackend.class))
                  .isInstanceOf(KubernetesBackend.class);
              assertThat(context.getBean(ContainerBackend.class).keepsReplicas()).isTrue();
              assertThat(context).doesNotHaveBean(DockerClient.class);
            });
  }
}
