package dev.cumulus.platform.internalclient;

import dev.cumulus.platform.registry.ServiceRegistry;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes {@link InternalServiceClient}s: a service's base URL is {@code cumulus.<name>.url} when set
 * (e.g. {@code cumulus.auth-service.url}), else its registry variable (e.g. {@code
 * CUMULUS_QUEUE_URL}), else its port on this machine; the secret is {@code
 * cumulus.internal.secret}. A platform bean; each caller asks for the service it talks to.
 */
public class InternalServiceClients {

  private final ServiceRegistry registry;
  private final WebClient.Builder builder;
  private final Environment environment;
  private final String secret;

  public InternalServiceClients(
      ServiceRegistry registry, WebClient.Builder builder, Environment environment, String secret) {
    this.registry = registry;
    this.builder = builder;
    this.environment = environment;
    this.secret = secret;
  }

  /** A client for {@code serviceName}, a name of the registry (e.g. {@code queue-service}). */
  public InternalServiceClient of(String serviceName) {
    ServiceRegistry.Service service =
        registry
            .service(serviceName)
            .orElseThrow(
                () -> new IllegalArgumentException(serviceName + " is not in the registry"));
    String url =
        environment.getProperty(
            "cumulus." + serviceName + ".url",
            environment.getProperty(service.urlVariable(), service.defaultUrl()));
    // The gateway balances a comma-separated list of replicas (CUMULUS_<KEY>_URL=a,b); an internal
    // call goes to the first, so a list in an environment shared by every service breaks nothing.
    int comma = url.indexOf(',');
    String first = comma < 0 ? url : url.substring(0, comma).strip();
    return new InternalServiceClient(serviceName, builder.clone().baseUrl(first).build(), secret);
  }
}
