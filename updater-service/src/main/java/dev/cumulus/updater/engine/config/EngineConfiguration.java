package dev.cumulus.updater.engine.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** docker-java over its Apache httpclient5 transport (unix socket or TCP). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EngineProperties.class)
class EngineConfiguration {

  @Bean(destroyMethod = "close")
  DockerClient dockerClient(EngineProperties properties) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(properties.dockerHost())
            .withDockerTlsVerify(false)
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .maxConnections(properties.maxConnections())
            .connectionTimeout(properties.connectTimeout())
            .responseTimeout(properties.responseTimeout())
            .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
