package dev.cumulus.function.containers.engine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * fabric8's client, configured as kubectl is: {@code KUBECONFIG} (or {@code ~/.kube/config}), or
 * the pod's service account when the service runs in the cluster.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cumulus.function.containers.backend", havingValue = "kubernetes")
class KubernetesConfiguration {

  @Bean(destroyMethod = "close")
  KubernetesClient functionKubernetesClient() {
    return new KubernetesClientBuilder().build();
  }
}
