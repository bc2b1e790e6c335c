package dev.cumulus.e2e;

import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * auth-service, storage-service, queue-service, database-service, integration-service and the
 * gateway running as separate processes on the test infrastructure (real PostgreSQL, Redis and
 * Kafka), started once per test JVM and stopped when it exits. Each run gets fresh databases,
 * master key and admin password, so runs never see each other's data.
 *
 * <p>updater-service is started on first use ({@link #updater()}) only, on a port the gateway
 * already routes to: it needs podman, and the stack's other tests need not wait for it.
 * function-service ({@link #functions()}, wired to the stack's queue-service) and commerce-service
 * ({@link #commerce()}) likewise: see {@link #lazyService}.
 *
 * <p>{@link #withTenantKafka()} is another such stack, with kafka-service instead of queue-service
 * and database-service, on a broker of its own with devstack's SASL listener for tenants.
 */
final class Cumulus implements AutoCloseable {

  private static Cumulus running;

  final String adminPassword = randomSecret(18);
  final String masterKey = randomSecret(32);
  final String storageMasterKey = randomSecret(32);
  final String rdsMasterKey = randomSecret(32);
  final String integrationMasterKey = randomSecret(32);
  final String updaterMasterKey = randomSecret(32);
  final String functionMasterKey = randomSecret(32);
  final String internalSecret = randomSecret(24);
  final String bruteForceNamespace = Long.toHexString(new SecureRandom().nextLong());
  final String authDatabase = PostgresServer.uniqueDatabaseName("e2e_auth");
  final ServiceProcess auth;
  final ServiceProcess storage;
  final String kafkaBootstrap;
  final ServiceProcess queue;
  final ServiceProcess database;
  final ServiceProcess integration;
  final ServiceProcess kafka;
  final ServiceProcess gateway;
  private final int updaterPort = FreePorts.next();
  private final int functionPort = FreePorts.next();
  private final int commercePort = FreePorts.next();

  /** Services started on first use, by name, in start order (closed in reverse). */
  private final Map<String, ServiceProcess> lazyServices = new java.util.LinkedHashMap<>();

  private final TenantKafkaBroker tenantBroker;

  /** The gateway's port, known before the services behind it start. */
  private final int gatewayPort;

  private Cumulus(TenantKafkaBroker tenantBroker) {
    this.tenantBroker = tenantBroker;
    this.kafkaBootstrap =
        tenantBroker == null
            ? TestInfrastructure.kafkaBootstrapServers()
            : tenantBroker.bootstrapServers();
    int authPort = FreePorts.next();
    // Chosen first: auth-service asks storage-service for a tenant's usage (GET /api/usage).
    int storagePort = FreePorts.next();
    // Chosen before storage-service starts: its share links point at the gateway's /s3.
    gatewayPort = FreePorts.next();
    // All launched side by side, then awaited: none calls another during start-up (auth-service's
    // keys are fetched on a request's first token, events wait in Kafka), as under ./cumulus up.
    List<ServiceProcess> launched = new ArrayList<>();
    Instant begun = Instant.now();
    try {
      auth =
          launch(
              launched,
              "auth-service",
              authPort,
              authEnvironment(authDatabase, storagePort),
              List.of());
      storage =
          launch(
              launched,
              "storage-service",
              storagePort,
              storageEnvironment(auth.baseUrl()),
              // Revoked access keys stop working within this (30 s in production).
              List.of("--cumulus.auth-service.signing-key-cache-ttl=2s"));
      Map<String, String> gatewayEnvironment =
          gatewayEnvironment(auth.baseUrl(), storage.baseUrl());
      if (tenantBroker == null) {
        queue =
            launch(
                launched,
                "queue-service",
                FreePorts.next(),
                queueEnvironment(auth.baseUrl()),
                List.of());
        database =
            launch(
                launched,
                "database-service",
                FreePorts.next(),
                databaseEnvironment(auth.baseUrl()),
                List.of());
        integration =
            launch(
                launched,
                "integration-service",
                FreePorts.next(),
                integrationEnvironment(auth.baseUrl()),
                List.of());
        kafka = null;
        gatewayEnvironment.put("CUMULUS_QUEUE_URL", queue.baseUrl());
        gatewayEnvironment.put("CUMULUS_DATABASE_URL", database.baseUrl());
        gatewayEnvironment.put("CUMULUS_INTEGRATION_URL", integration.baseUrl());
        gatewayEnvironment.put("CUMULUS_UPDATER_URL", "http://127.0.0.1:" + updaterPort);
        gatewayEnvironment.put("CUMULUS_FUNCTION_URL", "http://127.0.0.1:" + functionPort);
        gatewayEnvironment.put("CUMULUS_COMMERCE_URL", "http://127.0.0.1:" + commercePort);
      } else {
        queue = null;
        database = null;
        integration = null;
        kafka =
            launch(
                launched,
                "kafka-service",
                FreePorts.next(),
                kafkaEnvironment(auth.baseUrl(), tenantBroker.tenantBootstrapServers()),
                List.of());
        gatewayEnvironment.put("CUMULUS_KAFKA_SERVICE_URL", kafka.baseUrl());
      }
      // Own rate-limit counters: other suites share this Redis and the client address.
      gateway =
          launch(
              launched,
              "gateway",
              gatewayPort,
              gatewayEnvironment,
              List.of("--cumulus.gateway.rate-limits.key-prefix=e2e-" + randomSecret(6) + ":"));
    } catch (RuntimeException e) {
      ServiceProcess.closeAll(launched);
      throw e;
    }
    ServiceProcess.awaitAllReady(launched);
    System.out.printf(
        "e2e: stack of %d services ready in %.1f s%n",
        launched.size(), Duration.between(begun, Instant.now()).toMillis() / 1000.0);
  }

  private static ServiceProcess launch(
      List<ServiceProcess> launched,
      String module,
      int port,
      Map<String, String> environment,
      List<String> arguments) {
    ServiceProcess service = ServiceProcess.launch(module, port, environment, arguments);
    launched.add(service);
    return service;
  }

  static synchronized Cumulus get() {
    if (running == null) {
      running = new Cumulus(null);
      Runtime.getRuntime().addShutdownHook(new Thread(running::close));
    }
    return running;
  }

  /**
   * A stack of its own with kafka-service (no queue-service) on a new broker with a SASL/SCRAM
   * listener for tenants and the standard authorizer; the caller closes it.
   */
  static Cumulus withTenantKafka() {
    Instant begun = Instant.now();
    TenantKafkaBroker broker = new TenantKafkaBroker();
    System.out.printf(
        "e2e: tenant Kafka broker up in %.1f s%n",
        Duration.between(begun, Instant.now()).toMillis() / 1000.0);
    try {
      return new Cumulus(broker);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /**
   * updater-service behind the gateway, started on the first call (a few seconds); the caller
   * checks first that podman's Docker API and the local registry are there.
   */
  ServiceProcess updater() {
    return lazyService("updater-service", updaterPort, this::updaterEnvironment);
  }

  /**
   * function-service behind the gateway, started on the first call (a few seconds). Its queue event
   * sources poll this stack's queue-service.
   */
  ServiceProcess functions() {
    return lazyService("function-service", functionPort, this::functionEnvironment);
  }

  /**
   * commerce-service (seed 004, with its built-in Stripe, SendGrid and Sheets sandboxes) behind the
   * gateway, started on the first call (a few seconds).
   */
  ServiceProcess commerce() {
    return lazyService("commerce-service", commercePort, this::commerceEnvironment);
  }

  /**
   * A service of this stack started on first use, on a port the gateway already routes to (chosen
   * when the stack started): the stack's other tests need not wait for it. Its environment is built
   * only then (it may create directories and databases).
   */
  private synchronized ServiceProcess lazyService(
      String name, int port, Supplier<Map<String, String>> environment) {
    if (queue == null) {
      throw new IllegalStateException(name + " runs only in the shared stack (Cumulus.get())");
    }
    return lazyServices.computeIfAbsent(
        name, service -> ServiceProcess.start(service, port, environment.get()));
  }

  /** commerce-service on a database of its own. */
  Map<String, String> commerceEnvironment() {
    return serviceEnvironment(auth.baseUrl(), "CUMULUS_COMMERCE_DB", "e2e_commerce");
  }

  /**
   * function-service on a database of its own, with its code and sandboxes in a temporary
   * directory, and queue-service's address (the service registry's CUMULUS_QUEUE_URL).
   */
  Map<String, String> functionEnvironment() {
    Map<String, String> env =
        serviceEnvironment(auth.baseUrl(), "CUMULUS_FUNCTION_DB", "e2e_function");
    env.put("CUMULUS_FUNCTION_MASTER_KEY", functionMasterKey);
    env.put("CUMULUS_QUEUE_URL", queue.baseUrl());
    try {
      env.put(
          "CUMULUS_FUNCTION_WORK_DIR",
          java.nio.file.Files.createTempDirectory("e2e-functions").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return env;
  }

  /**
   * updater-service on a database of its own, podman's Docker API and the local registry of
   * deploy/podman/start.sh; schedules and due updates polled every second.
   */
  Map<String, String> updaterEnvironment() {
    Map<String, String> env =
        serviceEnvironment(auth.baseUrl(), "CUMULUS_UPDATER_DB", "e2e_updater");
    env.put("CUMULUS_UPDATER_MASTER_KEY", updaterMasterKey);
    env.put("CUMULUS_UPDATER_POLL_INTERVAL", "1s");
    return env;
  }

  /** A client of the gateway: every request below goes through the front door. */
  WebTestClient viaGateway() {
    return TestClients.http(gateway.port());
  }

  /** A platform admin's token, from seed 003's login through the given client. */
  String adminToken(Api api) {
    return api.post(
            "/api/tenants/auth/",
            Api.none(),
            Map.of("username", "admin", "password", adminPassword, "tenant_domain", "default"))
        .expect(200)
        .at("data.token");
  }

  /**
   * A new s3storage instance of the platform admin's tenant, created through the gateway: its
   * answer carries the id and the S3 key pair ({@code s3Credentials.accessKeyId/secretAccessKey}).
   */
  Api.Answer newStorageInstance(Api api, String name) {
    return api.post(
            "/api/services",
            Api.bearer(adminToken(api)),
            Map.of("serviceName", name, "serviceType", "s3storage"))
        .expect(201);
  }

  /**
   * A new queue instance of the platform admin's tenant, created through the gateway: its answer
   * carries the id and the access key pair for SQS ({@code s3Credentials.*}).
   */
  Api.Answer newQueueInstance(Api api, String name) {
    return api.post(
            "/api/services",
            Api.bearer(adminToken(api)),
            Map.of("serviceName", name, "serviceType", "queue"))
        .expect(201);
  }

  /**
   * A new function instance of the platform admin's tenant, created through the gateway; {@link
   * #functions()} must run for function-service to learn of it.
   */
  Api.Answer newFunctionInstance(Api api, String name) {
    return api.post(
            "/api/services",
            Api.bearer(adminToken(api)),
            Map.of("serviceName", name, "serviceType", "function"))
        .expect(201);
  }

  /**
   * A new nosqldatabase instance of the platform admin's tenant, created through the gateway: its
   * answer carries the id and the access key pair for DynamoDB ({@code s3Credentials.*}).
   */
  Api.Answer newNoSqlInstance(Api api, String name) {
    return api.post(
            "/api/services",
            Api.bearer(adminToken(api)),
            Map.of("serviceName", name, "serviceType", "nosqldatabase"))
        .expect(201);
  }

  /** The environment every service process shares: infrastructure addresses and the JWKS. */
  Map<String, String> infrastructure(String jwksBaseUrl) {
    PostgresServer pg = TestInfrastructure.postgres();
    Map<String, String> env = new HashMap<>();
    env.put("CUMULUS_PG_HOST", pg.host());
    env.put("CUMULUS_PG_PORT", String.valueOf(pg.port()));
    env.put("CUMULUS_PG_USER", pg.user());
    env.put("CUMULUS_PG_PASSWORD", pg.password() == null ? "" : pg.password());
    env.put("CUMULUS_KAFKA_BOOTSTRAP", kafkaBootstrap);
    env.put("CUMULUS_REDIS_HOST", TestInfrastructure.redis().getHost());
    env.put("CUMULUS_REDIS_PORT", String.valueOf(TestInfrastructure.redis().getPort()));
    env.put("CUMULUS_JWKS_URI", jwksBaseUrl + "/.well-known/jwks.json");
    return env;
  }

  /**
   * What every service behind auth-service needs: the infrastructure, a database of its own (a
   * fresh name under {@code databaseVariable}), auth-service's address and the internal secret.
   */
  Map<String, String> serviceEnvironment(
      String authUrl, String databaseVariable, String databasePrefix) {
    Map<String, String> env = infrastructure(authUrl);
    env.put(databaseVariable, PostgresServer.uniqueDatabaseName(databasePrefix));
    env.put("CUMULUS_AUTH_URL", authUrl);
    env.put("CUMULUS_INTERNAL_SECRET", internalSecret);
    return env;
  }

  /** auth-service as in production (not the dev profile), on its own database. */
  Map<String, String> authEnvironment(String database, int storagePort) {
    Map<String, String> env = infrastructure("http://127.0.0.1:0");
    env.put("CUMULUS_STORAGE_URL", "http://127.0.0.1:" + storagePort);
    env.put("CUMULUS_AUTH_DB", database);
    env.put("CUMULUS_AUTH_MASTER_KEY", masterKey);
    env.put("CUMULUS_ADMIN_PASSWORD", adminPassword);
    // Own login-failure counters: other suites share this Redis and the client address.
    env.put("CUMULUS_AUTH_BRUTEFORCE_KEYPREFIX", "e2e-" + bruteForceNamespace + ":");
    env.put("CUMULUS_INTERNAL_SECRET", internalSecret);
    return env;
  }

  Map<String, String> storageEnvironment(String authUrl) {
    Map<String, String> env = serviceEnvironment(authUrl, "CUMULUS_STORAGE_DB", "e2e_storage");
    env.put("CUMULUS_STORAGE_MASTER_KEY", storageMasterKey);
    // Share links made through the REST API are fetched through the gateway, as in production.
    env.put("CUMULUS_S3_PUBLIC_URL", "http://127.0.0.1:" + gatewayPort);
    try {
      env.put(
          "CUMULUS_STORAGE_DATA_DIR",
          java.nio.file.Files.createTempDirectory("e2e-storage").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return env;
  }

  /** queue-service on a database of its own; SQS signing keys come from auth-service. */
  Map<String, String> queueEnvironment(String authUrl) {
    Map<String, String> env = serviceEnvironment(authUrl, "CUMULUS_QUEUE_DB", "e2e_queue");
    return env;
  }

  /**
   * database-service on a database of its own; tenants' rdsdatabase databases on the same server,
   * their backups in a temporary directory.
   */
  Map<String, String> databaseEnvironment(String authUrl) {
    Map<String, String> env = serviceEnvironment(authUrl, "CUMULUS_DATABASE_DB", "e2e_database");
    env.put("CUMULUS_RDS_MASTER_KEY", rdsMasterKey);
    try {
      env.put(
          "CUMULUS_RDS_DATA_DIR", java.nio.file.Files.createTempDirectory("e2e-rds").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return env;
  }

  /**
   * integration-service on a database of its own; webhooks may reach the tests' receivers on
   * loopback (production refuses private addresses), and new topics are joined within a second.
   */
  Map<String, String> integrationEnvironment(String authUrl) {
    Map<String, String> env =
        serviceEnvironment(authUrl, "CUMULUS_INTEGRATION_DB", "e2e_integration");
    env.put("CUMULUS_INTEGRATION_MASTER_KEY", integrationMasterKey);
    env.put("CUMULUS_INTEGRATION_ALLOWED_NETWORKS", "127.0.0.0/8");
    env.put("CUMULUS_INTEGRATION_TOPIC_REFRESH_MS", "1000");
    return env;
  }

  /**
   * kafka-service on a database of its own; tenants' credentials name the SASL listener. Its
   * tenant-events group is its own: other stacks' events are not its business.
   */
  Map<String, String> kafkaEnvironment(String authUrl, String tenantBootstrap) {
    Map<String, String> env = serviceEnvironment(authUrl, "CUMULUS_KAFKA_DB", "e2e_kafka");
    env.put("CUMULUS_KAFKA_TENANT_BOOTSTRAP", tenantBootstrap);
    return env;
  }

  Map<String, String> gatewayEnvironment(String authUrl, String storageUrl) {
    Map<String, String> env = infrastructure(authUrl);
    env.put("CUMULUS_GATEWAY_DB", PostgresServer.uniqueDatabaseName("e2e_gateway"));
    env.put("CUMULUS_AUTH_URL", authUrl);
    env.put("CUMULUS_STORAGE_URL", storageUrl);
    // For auth-service's access-key owner lookup (per-tenant AWS request budgets).
    env.put("CUMULUS_INTERNAL_SECRET", internalSecret);
    return env;
  }

  @Override
  public void close() {
    gateway.close();
    List<ServiceProcess> started;
    synchronized (this) {
      started = new java.util.ArrayList<>(lazyServices.values());
    }
    java.util.Collections.reverse(started);
    started.add(integration);
    started.add(database);
    started.add(queue);
    started.add(kafka);
    for (ServiceProcess service : started) {
      if (service != null) {
        service.close();
      }
    }
    storage.close();
    auth.close();
    if (tenantBroker != null) {
      tenantBroker.close();
    }
  }

  static String randomSecret(int bytes) {
    byte[] secret = new byte[bytes];
    new SecureRandom().nextBytes(secret);
    return Base64.getEncoder().encodeToString(secret);
  }
}
