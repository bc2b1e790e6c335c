package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
 * Skipped, with the reason, without chromium (.ci/run installs it) or without the console's npm
 * build.
 */
class ConsoleBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void aUserSignsInCreatesStorageAndUploadsAndDownloadsAFileInTheBrowser() throws Exception {
    Path console = Path.of(System.getProperty("cumulus.e2e.root", "..")).resolve("console");
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "chromium is not installed (apt-get install chromium): console browser test skipped");
    assumeTrue(
        Files.isDirectory(console.resolve("node_modules/playwright-core")),
        "console/node_modules is missing (build the console module first): browser test skipped");
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
    Path screenshots = console.resolve("target/e2e-screenshots");
    Files.createDirectories(screenshots);
    Path result = screenshots.resolve("result.properties");
    Files.deleteIfExists(result);
    Path log = screenshots.resolve("browser-flow.log");

    ProcessBuilder flow =
        new ProcessBuilder("node", "e2e/browser-flow.mjs")
            .directory(console.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    flow.environment().put("CONSOLE_URL", "http://127.0.0.1:" + cumulus.gateway.port());
    flow.environment().put("CONSOLE_PASSWORD", cumulus.adminPassword);
    flow.environment().put("CONSOLE_SCREENSHOTS", screenshots.toAbsolutePath().toString());
    flow.environment().put("CONSOLE_RESULT", result.toAbsolutePath().toString());
    flow.environment().put("CHROMIUM", CHROMIUM.toString());
    flow.environment().put("CONSOLE_OTHER_TENANT", otherTenant);
    flow.environment().put("CONSOLE_OTHER_ORGANIZATION", otherOrganization);
    Process process = flow.start();
    boolean ended = process.waitFor(4, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ended && process.exitValue() == 0)
        .as("the browser flow passed; its log:%n%s", Files.readString(log))
        .isTrue();

    // What the browser uploaded is really there: read it back through the API, not the console.
    Properties uploaded = read(result);
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
    assertThat(screenshots.resolve("03-home.png")).isNotEmptyFile();
    assertThat(screenshots.resolve("04-bucket.png")).isNotEmptyFile();
    assertThat(screenshots.resolve("05-queue.png")).isNotEmptyFile();
    assertThat(screenshots.resolve("10-acting.png")).isNotEmptyFile();
    assertThat(screenshots.resolve("11-order.png")).isNotEmptyFile();
    // The order the browser created is the admin's tenant's, as commerce-service has it.
    assertThat(
            api.get("/api/orders/" + uploaded.getProperty("orderId"), Api.bearer(platformAdmin))
                .expect(200)
                .<String>at("data.customerName"))
        .isEqualTo(uploaded.getProperty("orderCustomer"));
  }

  private static Properties read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties;
  }
}
