package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * The web console in a real browser (Debian's chromium, headless, driven by playwright-core from
 * the console module's node_modules: {@code console/e2e/browser-flow.mjs}) against this stack's
 * gateway: sign in, create a storage instance, create a bucket, upload and download a file, reload
 * the page and stay signed in (the refresh token is an HttpOnly, SameSite=Strict cookie); then one
 * task on each other page this stack serves (a queue instance with a queue and a message, a webhook
 * endpoint, an organization, the audit log filtered; the containers page answers), a platform
 * admin's switch to another tenant (whose organization it then sees, and not its own) and back, an
 * order created and opened on the orders page (commerce-service started for it), sign out (the
 * cookie goes). Screenshots of the main pages stay in {@code console/target/e2e-screenshots}.
 *
 * <p>Each flow is a script of its own in {@code console/e2e} (sharing {@code harness.mjs}: the
 * browser, sign-in, screenshots) run by one test method through {@link #runFlow}, so a failing page
 * does not hide the others. Skipped, with the reason, without chromium (.ci/run installs it) or
 * without the console's npm build.
 */
class ConsoleBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CONSOLE =
      Path.of(System.getProperty("cumulus.e2e.root", "..")).resolve("console");
  private static final Path SCREENSHOTS = CONSOLE.resolve("target/e2e-screenshots");

  @Test
  void aUserSignsInCreatesStorageAndUploadsAndDownloadsAFileInTheBrowser() throws Exception {
    assumeBrowser();
    Cumulus cumulus = Cumulus.get();
    // The orders page calls commerce-service, which the shared stack starts on first use.
    cumulus.commerce();
    // Another tenant with an organization of its own, for the admin's tenant switch.
    Api api = new Api(cumulus.viaGateway());
    String otherTenant = "console-other-" + UUID.randomUUID().toString().substring(0, 8);
    String otherOrganization = "Other's organization " + otherTenant.substring(14);
    String platformAdmin = cumulus.adminToken(api);
    api.post(
            "/api/admin/tenants",
            Api.bearer(platformAdmin),
            Map.of("id", otherTenant, "domain", otherTenant, "name", otherTenant, "plan", "free"))
        .expect(201);
    api.post(
            "/api/tenants/organizations/",
            Api.bearer(platformAdmin, otherTenant),
            Map.of("name", otherOrganization))
        .expect(201);
    Properties uploaded =
        runFlow(
            "browser-flow.mjs",
            Map.of(
                "CONSOLE_OTHER_TENANT", otherTenant,
                "CONSOLE_OTHER_ORGANIZATION", otherOrganization));

    // What the browser uploaded is really there: read it back through the API, not the console.
    String tenantId =
        api.get(
                "/api/services/" + uploaded.getProperty("instanceId"),
                Api.bearer(cumulus.adminToken(api)))
            .expect(200)
            .at("tenantId");
    byte[] bytes =
        cumulus
            .viaGateway()
            .get()
            .uri(
                "/api/s3storage/{tenant}/{id}/buckets/{bucket}/objects/{key}",
                tenantId,
                uploaded.getProperty("instanceId"),
                uploaded.getProperty("bucket"),
                uploaded.getProperty("key"))
            .headers(Api.bearer(cumulus.adminToken(api)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(bytes).hasSize(Integer.parseInt(uploaded.getProperty("size")));
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
        .isEqualTo(uploaded.getProperty("sha256"));
    // The session outlived a reload through a cookie scripts cannot read.
    assertThat(uploaded.getProperty("reloadKeptSession")).isEqualTo("true");
    assertThat(uploaded.getProperty("refreshCookie"))
        .isEqualTo("httpOnly:true;sameSite:Strict;path:/api/auth/refresh");
    assertThat(SCREENSHOTS.resolve("03-home.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("04-bucket.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("05-queue.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("10-acting.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("11-order.png")).isNotEmptyFile();
    // The order the browser created is the admin's tenant's, as commerce-service has it.
    assertThat(
            api.get("/api/orders/" + uploaded.getProperty("orderId"), Api.bearer(platformAdmin))
                .expect(200)
                .<String>at("data.customerName"))
        .isEqualTo(uploaded.getProperty("orderCustomer"));
    // The tenant the browser created on the Tenants page is auth-service's, with its name.
    String newTenant = uploaded.getProperty("newTenant");
    assertThat(
            api.get("/api/admin/tenants/" + newTenant, Api.bearer(platformAdmin))
                .expect(200)
                .<String>at("name"))
        .isEqualTo("New tenant " + newTenant.substring("console-new-".length()));
  }

  /**
   * The operations pages ({@code console/e2e/ops-flow.mjs}): a user's names, e-mail, role and
   * permissions edited, an order of two items, a registry login; a container created from the form
   * with its log followed live only where podman's Docker API and the local registry are (as {@link
   * UpdaterSeedExamplesIT} decides), skipped with the reason otherwise. Everything is read back
   * through the API.
   */
  @Test
  void anAdminEditsAUserOrdersTwoItemsAndManagesContainersInTheBrowser() throws Exception {
    assumeBrowser();
    Cumulus cumulus = Cumulus.get();
    cumulus.commerce();
    cumulus.updater();
    Map<String, String> environment = new java.util.HashMap<>();
    String noEngine = containerEngineMissing();
    if (noEngine == null) {
      String repository =
          UpdaterSeedExamplesIT.REGISTRY
              + "/cumulus-e2e/console-"
              + UUID.randomUUID().toString().substring(0, 8);
      UpdaterSeedExamplesIT.pushWebImage(repository, "v1");
      environment.put("CONSOLE_CONTAINER_IMAGE", repository + ":latest");
      // The flow publishes the container's httpd here and requests it, so its log has lines.
      environment.put("CONSOLE_CONTAINER_PORT", String.valueOf(FreePorts.next()));
    } else {
      System.out.println(
          "[console-e2e] creating a container and following its log skipped: " + noEngine);
    }
    Properties done = runFlow("ops-flow.mjs", environment);

    Api api = new Api(cumulus.viaGateway());
    String admin = cumulus.adminToken(api);
    // The user as auth-service has it now, names, e-mail, role and permissions.
    Map<String, Object> user =
        api.get("/api/tenants/users", Api.bearer(admin)).expect(200).list("data.results").stream()
            .filter(u -> done.getProperty("username").equals(u.get("username")))
            .findFirst()
            .orElseThrow();
    assertThat(user)
        .containsEntry("first_name", "Olive")
        .containsEntry("last_name", "Ops")
        .containsEntry("email", done.getProperty("newEmail"))
        .containsEntry("role", "operator");
    long userId = ((Number) user.get("id")).longValue();
    Map<String, Object> withPermissions =
        api.get("/api/users?limit=100", Api.bearer(admin)).expect(200).list("data.items").stream()
            .filter(u -> ((Number) u.get("id")).longValue() == userId)
            .findFirst()
            .orElseThrow();
    assertThat(withPermissions.get("permissions"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrder((Object[]) done.getProperty("permissions").split(","));

    // The order of two items, and its total, as commerce-service has it.
    Api.Answer order =
        api.get("/api/orders/" + done.getProperty("orderId"), Api.bearer(admin)).expect(200);
    assertThat(order.<String>at("data.customerName")).isEqualTo(done.getProperty("orderCustomer"));
    assertThat(order.list("data.items"))
        .extracting(i -> i.get("name"))
        .containsExactly("Console ops widget", "Console ops gadget");
    assertThat(((Number) order.at("data.totalAmount")).doubleValue()).isEqualTo(37.75);

    // The registry login: saved with its username, never answered with its password.
    Api.Answer login =
        api.get("/api/images/registries/" + done.getProperty("registry"), Api.bearer(admin))
            .expect(200);
    assertThat(login.<String>at("data.username")).isEqualTo("console-robot");
    assertThat(String.valueOf(login.json())).doesNotContain(done.getProperty("registryPassword"));
    api.delete("/api/images/registries/" + done.getProperty("registry"), Api.bearer(admin))
        .expect(200);

    if (noEngine == null) {
      // Created, followed and deleted in the browser: gone from the tenant's list.
      assertThat(done.getProperty("container")).startsWith("console-ops-");
      assertThat(
              api.get(
                      "/api/containers?limit=100&name=" + done.getProperty("container"),
                      Api.bearer(admin))
                  .expect(200)
                  .list("data.items"))
          .isEmpty();
    } else {
      assertThat(done.getProperty("container")).isEqualTo("skipped");
    }
    assertThat(SCREENSHOTS.resolve("21-order-items-monitoring.png")).isNotEmptyFile();
  }

  /** Why a container cannot be created here (as UpdaterSeedExamplesIT checks), or null. */
  private static String containerEngineMissing() {
    if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
      return "podman is not installed";
    }
    if (!Files.exists(Path.of("/run/podman.sock"))) {
      return "no podman Docker API at /run/podman.sock (deploy/podman/start.sh)";
    }
    if (!UpdaterSeedExamplesIT.answers(5000)) {
      return "no registry at " + UpdaterSeedExamplesIT.REGISTRY + " (deploy/podman/start.sh)";
    }
    if (!Files.isExecutable(Path.of("/bin/busybox"))) {
      return "no /bin/busybox for the test image (apt-get install busybox-static)";
    }
    return null;
  }

  /**
   * {@code console/e2e/data-flow.mjs}: what the browser made is checked here through the public
   * APIs: its share link (presigned by storage-service: no secret in the browser) returns the
   * object to anyone through the gateway, the lifecycle and CORS rules it set (REST, JSON) read
   * back over S3 with another key, its redrive put the dead-lettered batch back on the source
   * queue, and the traffic it charted is what the gateway counted.
   */
  @Test
  void theDataPagesShareLinkBucketSettingsBatchRedriveAndTrafficInTheBrowser() throws Exception {
    assumeBrowser();
    Cumulus cumulus = Cumulus.get();
    Api api = new Api(cumulus.viaGateway());
    Properties made = runFlow("data-flow.mjs", Map.of());
    Consumer<HttpHeaders> admin = Api.bearer(cumulus.adminToken(api));

    // The share link: the gateway's /s3, signed with the key the browser made; anyone, no
    // credential, gets the object.
    assertThat(made.getProperty("link"))
        .startsWith(cumulus.gateway.baseUrl() + "/s3/" + made.getProperty("bucket") + "/")
        .contains("X-Amz-Credential=" + made.getProperty("accessKeyId") + "%2F");
    HttpResponse<String> shared =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(made.getProperty("link"))).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(shared.statusCode()).isEqualTo(200);
    assertThat(shared.body().trim()).isEqualTo(made.getProperty("content"));

    // The key the browser made is the instance's second; its rules read back with another one.
    String storageId = made.getProperty("storageId");
    assertThat(
            api
                .get("/api/services/" + storageId + "/s3-credentials", admin)
                .expect(200)
                .items()
                .stream()
                .map(k -> k.get("accessKeyId")))
        .hasSize(2)
        .contains(made.getProperty("accessKeyId"));
    Api.Answer pair =
        api.post("/api/services/" + storageId + "/s3-credentials", admin, Map.of()).expect(201);
    String bucket = made.getProperty("bucket");
    try (S3Client s3 =
        S3Clients.of(
            URI.create(cumulus.gateway.baseUrl() + "/s3"),
            pair.at("accessKeyId"),
            pair.at("secretAccessKey"),
            false)) {
      LifecycleRule rule = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules().get(0);
      assertThat(rule.id()).isEqualTo(made.getProperty("ruleId"));
      assertThat(rule.filter().prefix()).isEqualTo("logs/");
      assertThat(rule.expiration().days()).isEqualTo(7);
      CORSRule cors = s3.getBucketCors(b -> b.bucket(bucket)).corsRules().get(0);
      assertThat(cors.allowedOrigins()).containsExactly(made.getProperty("corsOrigin"));
      assertThat(cors.allowedMethods()).containsExactlyInAnyOrder("GET", "PUT");
    }

    // The redrive: the batch is back on its source queue, the dead-letter queue empty.
    String queueId = made.getProperty("queueId");
    String tenantId = api.get("/api/services/" + queueId, admin).expect(200).at("tenantId");
    String queues = "/api/queue/" + tenantId + "/" + queueId + "/queues/";
    assertThat(
            api.get(queues + made.getProperty("work"), admin)
                .expect(200)
                .<Number>at("approximateNumberOfMessages")
                .longValue())
        .isEqualTo(3);
    assertThat(
            api.get(queues + made.getProperty("dlq"), admin)
                .expect(200)
                .<Number>at("approximateNumberOfMessages")
                .longValue())
        .isZero();
    Map<String, Object> task =
        api.get(queues + made.getProperty("dlq") + "/move-tasks", admin)
            .expect(200)
            .list("tasks")
            .get(0);
    assertThat(task.get("status")).isEqualTo("COMPLETED");
    assertThat(((Number) task.get("approximateNumberOfMessagesMoved")).longValue()).isEqualTo(3);

    // The chart showed what the gateway counted for the instance (and it has counted on since).
    long counted =
        api
            .get("/api/metrics/instances/" + queueId + "?minutes=60", admin)
            .expect(200)
            .list("points")
            .stream()
            .mapToLong(p -> ((Number) p.get("requests")).longValue())
            .sum();
    assertThat(Long.parseLong(made.getProperty("requests")))
        .isPositive()
        .isLessThanOrEqualTo(counted);
    assertThat(made.getProperty("chart")).startsWith("Requests a minute");
  }

  /** What the compute flow deploys: doubles {@code n} and says which version ran. */
  private static final String DOUBLER =
      """
      def lambda_handler(event, context):
          return {"doubled": event.get("n", 0) * 2, "version": context.function_version}
      """;

  /**
   * The compute pages in the browser ({@code console/e2e/compute-flow.mjs}): a NoSQL table with a
   * global secondary index queried, SQL run on a new relational database, a function deployed,
   * invoked, published, aliased and invoked as an Event. Then the same things through the API.
   * Kafka is not here: only the separate tenant-Kafka stack serves it (Vitest covers its page).
   */
  @Test
  void computePagesWorkInTheBrowser() throws Exception {
    assumeBrowser();
    Cumulus cumulus = Cumulus.get();
    cumulus.functions();
    Files.createDirectories(SCREENSHOTS);
    Path zip = SCREENSHOTS.resolve("doubler.zip");
    try (java.util.zip.ZipOutputStream out =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("lambda_function.py"));
      out.write(DOUBLER.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Properties done =
        runFlow(
            "compute-flow.mjs", Map.of("CONSOLE_FUNCTION_ZIP", zip.toAbsolutePath().toString()));

    Api api = new Api(cumulus.viaGateway());
    var admin = Api.bearer(cumulus.adminToken(api));
    String tenant =
        api.get("/api/services/" + done.getProperty("nosqlId"), admin).expect(200).at("tenantId");
    // The item is in the table and its index
    String nosql = "/api/nosqldatabase/" + tenant + "/" + done.getProperty("nosqlId");
    String table = nosql + "/tables/" + done.getProperty("table");
    assertThat(api.get(table + "/items/a1", admin).expect(200).<String>at("item.color.S"))
        .isEqualTo("red");
    assertThat(
            api.post(
                    table + "/query",
                    admin,
                    Map.of(
                        "indexName",
                        "by-color",
                        "keyConditions",
                        Map.of(
                            "color",
                            Map.of(
                                "attributeValueList",
                                java.util.List.of(Map.of("S", "red")),
                                "comparisonOperator",
                                "EQ"))))
                .expect(200)
                .<Integer>at("count"))
        .isEqualTo(1);
    // The row the browser inserted
    String rds = "/api/rdsdatabase/" + tenant + "/" + done.getProperty("rdsId");
    assertThat(
            api.post(rds + "/query", admin, Map.of("query", "SELECT body FROM notes WHERE id = 1"))
                .expect(200)
                .list("rows")
                .getFirst()
                .get("body"))
        .isEqualTo(done.getProperty("rdsBody"));
    // Version 1 with the alias live on it; three invocations counted (two waited for, one Event)
    String function =
        "/api/function/" + tenant + "/" + done.getProperty("functionsId") + "/functions/hello";
    Api.Answer details = api.get(function, admin).expect(200);
    assertThat(details.<java.util.List<String>>at("versions")).containsExactly("$LATEST", "1");
    assertThat(details.<String>at("aliases.live")).isEqualTo("1");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        api.get(function + "/invocations", admin)
                            .expect(200)
                            .<Integer>at("invocations"))
                    .isEqualTo(3));
    assertThat(SCREENSHOTS.resolve("22-functions.png")).isNotEmptyFile();
  }

  /** Skips the calling test, with the reason, where the browser or the console build is missing. */
  static void assumeBrowser() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "chromium is not installed (apt-get install chromium): console browser test skipped");
    assumeTrue(
        Files.isDirectory(CONSOLE.resolve("node_modules/playwright-core")),
        "console/node_modules is missing (build the console module first): browser test skipped");
  }

  /**
   * Runs one flow script of {@code console/e2e} against the shared stack's gateway as its admin,
   * fails with the flow's log unless it passed, and returns what it wrote for the checks after it.
   */
  static Properties runFlow(String script, Map<String, String> environment)
      throws IOException, InterruptedException {
    return runFlow(Cumulus.get(), script, environment);
  }

  /** {@link #runFlow(String, Map)} against another stack (e.g. the tenant-Kafka one). */
  static Properties runFlow(Cumulus cumulus, String script, Map<String, String> environment)
      throws IOException, InterruptedException {
    assumeBrowser();
    String name = script.replace(".mjs", "");
    Files.createDirectories(SCREENSHOTS);
    Path result = SCREENSHOTS.resolve(name + ".properties");
    Files.deleteIfExists(result);
    Path log = SCREENSHOTS.resolve(name + ".log");
    ProcessBuilder flow =
        new ProcessBuilder("node", "e2e/" + script)
            .directory(CONSOLE.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    flow.environment().put("CONSOLE_URL", "http://127.0.0.1:" + cumulus.gateway.port());
    flow.environment().put("CONSOLE_PASSWORD", cumulus.adminPassword);
    flow.environment().put("CONSOLE_SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
    flow.environment().put("CONSOLE_RESULT", result.toAbsolutePath().toString());
    flow.environment().put("CHROMIUM", CHROMIUM.toString());
    flow.environment().putAll(environment);
    Process process = flow.start();
    boolean ended = process.waitFor(4, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ended && process.exitValue() == 0)
        .as("the browser flow %s passed; its log:%n%s", script, Files.readString(log))
        .isTrue();
    return Files.exists(result) ? read(result) : new Properties();
  }

  private static Properties read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties;
  }
}
