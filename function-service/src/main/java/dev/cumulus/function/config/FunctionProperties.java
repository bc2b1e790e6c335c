package dev.cumulus.function.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * function-service settings ({@code cumulus.function.*}).
 *
 * @param workDir where function code is unpacked (one read-only directory per code digest) and
 *     runtime processes keep their stderr
 * @param region the region function ARNs name
 * @param runtimes the runtimes an operator offers, by name (e.g. {@code python3.11})
 * @param sandbox how each runtime process is isolated
 * @param pool the warm pool of runtime processes
 * @param events asynchronous ({@code Event}) invocations
 * @param lambda the AWS Lambda API
 */
@ConfigurationProperties("cumulus.function")
public record FunctionProperties(
    @DefaultValue("${java.io.tmpdir}/cumulus-functions") Path workDir,
    @DefaultValue("us-east-1") String region,
    @DefaultValue Map<String, Runtime> runtimes,
    @DefaultValue Sandbox sandbox,
    @DefaultValue Pool pool,
    @DefaultValue Events events,
    @DefaultValue Lambda lambda) {

  /**
   * The AWS Lambda API.
   *
   * @param pathPrefix where it is served (the SDK's endpoint override is {@code
   *     http://<host><prefix>})
   */
  public record Lambda(@DefaultValue("/lambda") String pathPrefix) {}

  /**
   * A runtime: a launcher command run inside the sandbox with a bootstrap script that speaks the
   * runtime protocol (see {@code runtimes/bootstrap.py}).
   *
   * @param command the launcher; {@code {memory}} is replaced by the function's memory in MB and
   *     the bootstrap is mounted at {@code /var/runtime/<bootstrap file name>}
   * @param bootstrap classpath resource of the bootstrap script
   * @param aliases other runtime names served by this one (AWS names such as {@code python3.9})
   * @param memoryOverheadMb added to the function's memory for the data-segment limit (a VM's own
   *     reservations, e.g. V8's)
   * @param description what runs, shown in a function's configuration
   */
  public record Runtime(
      List<String> command,
      String bootstrap,
      @DefaultValue List<String> aliases,
      @DefaultValue("0") int memoryOverheadMb,
      @DefaultValue("") String description) {}

  /**
   * @param bwrap the bubblewrap binary
   * @param tmpSizeMb size of each sandbox's private writable {@code /tmp}
   * @param maxOpenFiles open file limit per runtime process
   */
  public record Sandbox(
      @DefaultValue("/usr/bin/bwrap") String bwrap,
      @DefaultValue("64") int tmpSizeMb,
      @DefaultValue("256") int maxOpenFiles) {}

  /**
   * @param keepWarm how long an idle runtime process is kept for the next invocation
   * @param tenantConcurrency invocations of one tenant running at once (AWS's account limit)
   * @param maxLogChars the log tail returned with a synchronous invocation
   * @param invokeTargetTtl how long an invoked function's configuration is reused without reading
   *     it again (a change through this replica is seen at once, through another within this)
   */
  public record Pool(
      @DefaultValue("5m") Duration keepWarm,
      @DefaultValue("100") int tenantConcurrency,
      @DefaultValue("4096") int maxLogChars,
      @DefaultValue("2s") Duration invokeTargetTtl) {}

  /**
   * @param pollInterval how often queued invocations are looked for (a new one wakes the worker)
   * @param maxAttempts attempts of an invocation: the first and two retries, as AWS does
   * @param retryDelay the wait before the first retry, doubled for each further one
   * @param batchSize invocations claimed at once
   */
  public record Events(
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("3") int maxAttempts,
      @DefaultValue("1m") Duration retryDelay,
      @DefaultValue("8") int batchSize) {}
}
