package dev.cumulus.function.containers.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.cumulus.function.config.ContainerProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * docker-java over its Apache httpclient5 transport (unix socket or TCP). The same setup as
 * updater-service's engine client: a candidate for platform.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "cumulus.function.containers.backend",
    havingValue = "docker",
    matchIfMissing = true)
class DockerConfiguration {

  @Bean(destroyMethod = "close")
  DockerClient functionDockerClient(ContainerProperties properties) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(properties.dockerHost())
            .withDockerTlsVerify(false)
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .maxConnections(64)
            .connectionTimeout(properties.connectTimeout())
            .responseTimeout(properties.responseTimeout())
            .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
