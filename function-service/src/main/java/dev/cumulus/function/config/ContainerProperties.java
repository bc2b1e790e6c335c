package dev.cumulus.function.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Seed 001's container functions ({@code cumulus.function.containers.*}).
 *
 * @param backend where containers run: {@code docker} (the Docker Engine API) or {@code kubernetes}
 *     (Deployments and Jobs through fabric8, configured by {@code KUBECONFIG} or the pod's service
 *     account)
 * @param namespacePrefix the Kubernetes namespace of a tenant is this prefix and its id
 * @param dockerHost the Docker Engine API: Docker's socket, podman's ({@code podman system
 *     service}), or {@code tcp://host:port}
 * @param connectTimeout how long to wait for the engine to accept a connection
 * @param responseTimeout how long one engine call may take (image pulls included)
 * @param reconcileInterval how often every function's replicas are compared with the engine's
 * @param lease how long one service replica owns a function's reconciliation once it claimed it
 * @param maxReplicas replicas one function may ask for
 * @param defaultMemory memory limit of a container whose function names none (a Kubernetes
 *     quantity)
 * @param pidsLimit processes one container may run
 * @param jobRetention how long a finished job's container (and so its logs) is kept
 * @param maxInputBytes size of an invocation's {@code input} (it travels in the job's environment)
 * @param crashBackoff how long the replacement of a replica that exited on its own waits, doubled
 *     per crash in a row
 * @param crashBackoffMax the longest such wait
 * @param crashBackoffReset how long replicas must run after a restart for the count to start again
 */
@ConfigurationProperties("cumulus.function.containers")
public record ContainerProperties(
    @DefaultValue("docker") String backend,
    @DefaultValue("cumulus-fn-") String namespacePrefix,
    @DefaultValue("unix:///run/podman.sock") String dockerHost,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("5m") Duration responseTimeout,
    @DefaultValue("2s") Duration reconcileInterval,
    @DefaultValue("30s") Duration lease,
    @DefaultValue("10") int maxReplicas,
    @DefaultValue("256Mi") String defaultMemory,
    @DefaultValue("256") long pidsLimit,
    @DefaultValue("10m") Duration jobRetention,
    @DefaultValue("65536") int maxInputBytes,
    @DefaultValue("10s") Duration crashBackoff,
    @DefaultValue("5m") Duration crashBackoffMax,
    @DefaultValue("10m") Duration crashBackoffReset) {}
