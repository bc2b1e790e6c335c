package dev.cumulus.devstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where devstack keeps its data and which addresses it serves. Command-line options win over
 * environment variables, which win over the defaults.
 *
 * <pre>
 * option              environment variable            default
 * --data-dir          CUMULUS_DATA_DIR                .cumulus/data
 * --run-dir           CUMULUS_RUN_DIR                 .cumulus/run
 * --kafka-port        CUMULUS_KAFKA_BROKER_PORT       9092
 * --controller-port   CUMULUS_KAFKA_CONTROLLER_PORT   9093
 * --kafka-tenant-port CUMULUS_KAFKA_TENANT_PORT       9094 (SASL/SCRAM listener for tenants; 0: none)
 * --pg-host           CUMULUS_PG_HOST                 127.0.0.1
 * --pg-port           CUMULUS_PG_PORT                 5432
 * --redis-host        CUMULUS_REDIS_HOST              127.0.0.1
 * --redis-port        CUMULUS_REDIS_PORT              6379
 * </pre>
 *
 * <p>(Not {@code CUMULUS_KAFKA_PORT}: that one is kafka-service's HTTP port.)
 */
public record DevStackConfig(
    Path dataDir,
    Path runDir,
    String kafkaHost,
    int kafkaPort,
    int controllerPort,
    int tenantKafkaPort,
    String pgHost,
    int pgPort,
    String redisHost,
    int redisPort) {

  static final String USAGE =
      """
      usage: java -jar devstack.jar [--data-dir DIR] [--run-dir DIR] [--kafka-port N]
                                    [--controller-port N] [--kafka-tenant-port N]
                                    [--pg-host H] [--pg-port N]
                                    [--redis-host H] [--redis-port N]
      Runs a Kafka KRaft broker in this JVM and makes sure PostgreSQL and Redis answer
      (a local server when one is reachable, else an embedded one), then writes
      <run-dir>/devstack.env for the services. Stops everything on SIGTERM / Ctrl-C.
      Environment variables set the same: CUMULUS_DATA_DIR, CUMULUS_RUN_DIR,
      CUMULUS_KAFKA_BROKER_PORT, CUMULUS_KAFKA_CONTROLLER_PORT, CUMULUS_KAFKA_TENANT_PORT,
      CUMULUS_PG_HOST, CUMULUS_PG_PORT,
      CUMULUS_REDIS_HOST, CUMULUS_REDIS_PORT.""";

  /** Kafka always listens on the loopback address: devstack is for one machine. */
  static final String KAFKA_HOST = "127.0.0.1";

  public DevStackConfig {
    dataDir = dataDir.toAbsolutePath().normalize();
    runDir = runDir.toAbsolutePath().normalize();
    for (int port : new int[] {kafkaPort, controllerPort, pgPort, redisPort}) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
    if (kafkaPort == controllerPort) {
      throw new IllegalArgumentException("Kafka and its controller need two different ports");
    }
    if (tenantKafkaPort != 0
        && (tenantKafkaPort < 1
            || tenantKafkaPort > 65535
            || tenantKafkaPort == kafkaPort
            || tenantKafkaPort == controllerPort)) {
      throw new IllegalArgumentException(
          "the tenants' Kafka listener needs a port of its own (or 0 for none): "
              + tenantKafkaPort);
    }
  }

  /** Reads the options, falling back to the environment, then to the defaults. */
  public static DevStackConfig from(String[] args, Map<String, String> env) {
    Options options = Options.parse(args);
    return new DevStackConfig(
        Path.of(options.get("data-dir", env, "CUMULUS_DATA_DIR", ".cumulus/data")),
        Path.of(options.get("run-dir", env, "CUMULUS_RUN_DIR", ".cumulus/run")),
        KAFKA_HOST,
        port(options.get("kafka-port", env, "CUMULUS_KAFKA_BROKER_PORT", "9092")),
        port(options.get("controller-port", env, "CUMULUS_KAFKA_CONTROLLER_PORT", "9093")),
        portOrZero(options.get("kafka-tenant-port", env, "CUMULUS_KAFKA_TENANT_PORT", "9094")),
        options.get("pg-host", env, "CUMULUS_PG_HOST", "127.0.0.1"),
        port(options.get("pg-port", env, "CUMULUS_PG_PORT", "5432")),
        options.get("redis-host", env, "CUMULUS_REDIS_HOST", "127.0.0.1"),
        port(options.get("redis-port", env, "CUMULUS_REDIS_PORT", "6379")));
  }

  /** The file the services read their addresses from. */
  public Path envFile() {
    return runDir.resolve("devstack.env");
  }

  public String kafkaBootstrap() {
    return kafkaHost + ":" + kafkaPort;
  }

  /** The tenants' SASL listener, {@code host:port}, or null when there is none. */
  public String tenantKafkaBootstrap() {
    return tenantKafkaPort == 0 ? null : kafkaHost + ":" + tenantKafkaPort;
  }

  private static int portOrZero(String value) {
    return value.trim().equals("0") ? 0 : port(value);
  }

  private static int port(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number: " + value);
    }
  }

  /** {@code --name value} and {@code --name=value} options. */
  private record Options(Map<String, String> values) {

    static Options parse(String[] args) {
      var values = new HashMap<String, String>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--") || arg.length() == 2) {
          throw new IllegalArgumentException("unexpected argument: " + arg);
        }
        int eq = arg.indexOf('=');
        if (eq > 0) {
          values.put(arg.substring(2, eq), arg.substring(eq + 1));
        } else if (i + 1 < args.length) {
          values.put(arg.substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("option " + arg + " needs a value");
        }
      }
      for (String name : values.keySet()) {
        if (!KNOWN.contains(name)) {
          throw new IllegalArgumentException("unknown option: --" + name);
        }
      }
      return new Options(values);
    }

    private static final Set<String> KNOWN =
        Set.of(
            "data-dir",
            "run-dir",
            "kafka-port",
            "controller-port",
            "kafka-tenant-port",
            "pg-host",
            "pg-port",
            "redis-host",
            "redis-port");

    String get(String option, Map<String, String> env, String variable, String fallback) {
      String value = values.get(option);
      if (value == null || value.isBlank()) {
        value = env.get(variable);
      }
      return value == null || value.isBlank() ? fallback : value;
    }
  }
}
