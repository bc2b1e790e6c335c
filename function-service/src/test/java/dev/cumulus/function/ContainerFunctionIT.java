package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Seed 001's container functions on real podman: every example of {@code /v1/functions} with its
 * request and answer, replicas that really run (and are restarted when they die), logs, one-off
 * jobs, stop and start, and tenants that never see each other's functions or containers. Skips
 * without podman and the local registry.
 */
class ContainerFunctionIT extends FunctionTestSupport {

  /** A long-running replica that logs as the seed's example does. */
  private static final String SERVER_COMMAND =
      "[\"/bin/sh\",\"-c\",\"echo \\\"[INFO] Server started on port 8080\\\";"
          + " while true; do echo \\\"[INFO] tick\\\"; /bin/busybox sleep 1; done\"]";

  private String image;

  /** Skips the calling test without podman and the registry; else the test image. */
  private void requireEngine() {
    ContainerTestEngine.assumeAvailable();
    image = ContainerTestEngine.busyboxImage();
  }

  @AfterEach
  void removeContainers() {
    removeFunctionsOf(tenant);
  }

  /**
   * Deletes a tenant's functions, then waits for the reconciler to remove their containers:
   * removing the containers alone would have the reconciler start the replicas again, for the rest
   * of the test JVM and beyond it.
   */
  private void removeFunctionsOf(String tenantId) {
    db.sql(
            "UPDATE container_functions SET deleted_at = now() WHERE tenant_id = :tenant"
                + " AND deleted_at IS NULL")
        .bind("tenant", tenantId)
        .then()
        .block(Duration.ofSeconds(10));
    if (ContainerTestEngine.available()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ContainerTestEngine.containersOf(tenantId, false).isEmpty());
    }
  }

  @Test
  void seedCreateExampleAnswersPendingInTheSeedsShape() {
    requireEngine();
    // The seed's request, byte for byte: nginx:alpine cannot be pulled here (no network), so the
    // function then reports Failed, with the reason.
    JsonNode created =
        call(
            "POST",
            "/v1/functions",
            """
            {
              "name": "my-function",
              "image": "nginx:alpine",
              "replicas": 2,
              "command": ["nginx", "-g", "daemon off;"],
              "env": {
                "ENV": "production",
                "LOG_LEVEL": "info"
              }
            }
            """,
            201);
    assertThat(fieldNames(created))
        .containsExactly(
            "id",
            "user_id",
            "name",
            "namespace",
            "image",
            "replicas",
            "command",
            "env",
            "status",
            "created_at",
            "updated_at");
    assertThat(UUID.fromString(created.path("id").asString())).isNotNull();
    assertThat(created.path("user_id").asString()).isEqualTo("user-of-" + tenant);
    assertThat(created.path("namespace").asString()).isEqualTo(tenant);
    assertThat(created.path("image").asString()).isEqualTo("nginx:alpine");
    assertThat(created.path("replicas").asInt()).isEqualTo(2);
    assertThat(created.path("command").toString()).isEqualTo("[\"nginx\",\"-g\",\"daemon off;\"]");
    assertThat(created.path("env").toString())
        .isEqualTo("{\"ENV\":\"production\",\"LOG_LEVEL\":\"info\"}");
    assertThat(created.path("status").asString()).isEqualTo("Pending");
    assertThat(created.path("created_at").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    JsonNode duplicate =
        call("POST", "/v1/functions", "{\"name\":\"my-function\",\"image\":\"x\"}", 409);
    assertThat(duplicate.toString())
        .isEqualTo(
            "{\"error\":\"Conflict\",\"message\":\"function 'my-function' already exists in"
                + " namespace '"
                + tenant
                + "'\"}");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get("my-function").path("status").asString().equals("Failed"));
    JsonNode failed = get("my-function");
    assertThat(failed.path("message").asString())
        .contains("nginx:alpine")
        .contains("cannot be pulled");
    assertThat(failed.path("available_replicas").asInt()).isZero();
  }

  @Test
  void badRequestsGetTheSeedsErrors() {
    assertThat(call("POST", "/v1/functions", "{\"image\":\"nginx:alpine\"}", 400).toString())
        .isEqualTo("{\"error\":\"Bad Request\",\"message\":\"name is required\"}");
    assertThat(call("POST", "/v1/functions", "{\"name\":\"web\"}", 400).path("message").asString())
        .isEqualTo("image is required");
    assertThat(
            call("POST", "/v1/functions", "{\"name\":\"Web_1\",\"image\":\"a\"}", 400)
                .path("error")
                .asString())
        .isEqualTo("Bad Request");
    assertThat(
            call("POST", "/v1/functions", "{\"name\":\"web\",\"image\":\"a\",\"replicas\":0}", 400)
                .path("message")
                .asString())
        .isEqualTo("replicas must be between 1 and 10");
    assertThat(
            call(
                    "POST",
                    "/v1/functions",
                    "{\"name\":\"web\",\"image\":\"a\",\"replicas\":\"two\"}",
                    400)
                .path("error")
                .asString())
        .isEqualTo("Bad Request");
    assertThat(
            call(
                    "POST",
                    "/v1/functions",
                    "{\"name\":\"web\",\"image\":\"a\",\"env\":{\"A B\":\"x\"}}",
                    400)
                .path("message")
                .asString())
        .contains("env name");
    assertThat(
            call(
                    "POST",
                    "/v1/functions",
                    "{\"name\":\"web\",\"image\":\"a\",\"resources\":{\"memory\":\"lots\"}}",
                    400)
                .path("message")
                .asString())
        .startsWith("resources.memory");
    assertThat(call("POST", "/v1/functions", "not json", 400).path("error").asString())
        .isEqualTo("Bad Request");
    JsonNode unauthorised = call("GET", "/v1/functions", null, null, 401);
    assertThat(unauthorised.path("error").asString()).isEqualTo("Unauthorized");
    assertThat(unauthorised.path("message").asString()).isNotBlank();
    assertThat(call("GET", "/v1/functions/none", null, 404).toString())
        .isEqualTo("{\"error\":\"Not Found\",\"message\":\"function 'none' not found\"}");
    assertThat(call("DELETE", "/v1/functions/none", null, 404).path("message").asString())
        .isEqualTo("function 'none' not found");
    assertThat(
            call("GET", "/v1/functions/none/logs?tail=abc", null, 400).path("message").asString())
        .startsWith("tail must be");
  }

  @Test
  void replicasRunOnPodmanAreRestartedAndTheirLogsStream() {
    requireEngine();
    JsonNode created =
        call(
            "POST",
            "/v1/functions",
            "{\"name\":\"web-server\",\"image\":\""
                + image
                + "\",\"replicas\":2,\"command\":"
                + SERVER_COMMAND
                + ",\"env\":{\"ENV\":\"production\"},"
                + "\"resources\":{\"cpu\":\"250m\",\"memory\":\"64Mi\"}}",
            201);
    assertThat(created.path("status").asString()).isEqualTo("Pending");
    awaitRunning("web-server", 2);
    assertThat(ContainerTestEngine.containersOf(tenant, true)).hasSize(2);

    JsonNode list = call("GET", "/v1/functions", null, 200);
    assertThat(list.size()).isEqualTo(1);
    assertThat(fieldNames(list.get(0)))
        .containsExactly(
            "id",
            "user_id",
            "name",
            "namespace",
            "image",
            "replicas",
            "status",
            "available_replicas",
            "created_at",
            "updated_at");
    assertThat(list.get(0).path("available_replicas").asInt()).isEqualTo(2);
    JsonNode detail = get("web-server");
    assertThat(detail.path("env").path("ENV").asString()).isEqualTo("production");
    assertThat(detail.path("resources").path("memory").asString()).isEqualTo("64Mi");
    String id = ContainerTestEngine.containersOf(tenant, true).getFirst();
    assertThat(ContainerTestEngine.podman("inspect", "-f", "{{.HostConfig.Memory}}", id).trim())
        .isEqualTo(String.valueOf(64L * 1024 * 1024));

    // Logs: both replicas' lines, timestamped, the last `tail` of them.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> logs("web-server", "").contains("[INFO] Server started on port 8080"));
    String logs = logs("web-server", "");
    assertThat(logs.lines().filter(l -> l.contains("Server started")).count()).isEqualTo(2);
    assertThat(logs.lines().findFirst().orElseThrow())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\[INFO\\] .*");
    assertThat(logs("web-server", "?tail=1").lines().count()).isBetween(1L, 2L);

    // follow=true streams new lines as they are written.
    List<String> followed =
        http.get()
            .uri("/v1/functions/web-server/logs?follow=true&tail=0")
            .header("Authorization", "Bearer " + token)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(String.class)
            .getResponseBody()
            .take(3)
            .collectList()
            .block(Duration.ofSeconds(20));
    assertThat(String.join("", followed)).contains("[INFO] tick");

    // Server-Sent Events when asked.
    List<String> events =
        http.get()
            .uri("/v1/functions/web-server/logs?follow=true&tail=1")
            .header("Authorization", "Bearer " + token)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(String.class)
            .getResponseBody()
            .take(2)
            .collectList()
            .block(Duration.ofSeconds(20));
    assertThat(events).allMatch(e -> e.contains("[INFO]"));

    // A replica that dies is replaced, and the function shows it.
    ContainerTestEngine.podman("kill", id);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode now = get("web-server");
              return now.path("restarts").asInt() >= 1
                  && now.path("available_replicas").asInt() == 2
                  && now.path("status").asString().equals("Running");
            });
    assertThat(ContainerTestEngine.containersOf(tenant, true)).hasSize(2).doesNotContain(id);

    // Stop and start (beyond the seed).
    assertThat(call("POST", "/v1/functions/web-server:stop", null, 200).path("stopped").asBoolean())
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("web-server").path("status").asString().equals("Stopped"));
    assertThat(ContainerTestEngine.containersOf(tenant, false)).isEmpty();
    call("POST", "/v1/functions/web-server:start", null, 200);
    awaitRunning("web-server", 2);

    // Soft delete: 204, gone from the API, its containers removed; the name is free again.
    http.delete()
        .uri("/v1/functions/web-server")
        .header("Authorization", "Bearer " + token)
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    call("GET", "/v1/functions/web-server", null, 404);
    assertThat(call("GET", "/v1/functions", null, 200).size()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ContainerTestEngine.containersOf(tenant, false).isEmpty());
    assertThat(
            outboxEvents(
                "dev.cumulus.function.container.created.v1",
                "container/" + created.path("id").asString()))
        .isEqualTo(1);
    assertThat(
            outboxEvents(
                "dev.cumulus.function.container.deleted.v1",
                "container/" + created.path("id").asString()))
        .isEqualTo(1);
    assertThat(
            outboxEvents(
                "dev.cumulus.function.container.status-changed.v1",
                "container/" + created.path("id").asString()))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void invokeRunsAOneOffJobWithTheInput() {
    requireEngine();
    call(
        "POST",
        "/v1/functions",
        "{\"name\":\"echoer\",\"image\":\""
            + image
            + "\",\"command\":[\"/bin/sh\",\"-c\","
            + "\"echo \\\"job input: ${EVENTFLOW_INPUT:-none} env: $MODE\\\"; /bin/busybox sleep 3600\"],"
            + "\"env\":{\"MODE\":\"batch\"}}",
        201);
    awaitRunning("echoer", 1);

    JsonNode invoked =
        call(
            "POST",
            "/v1/functions/echoer:invoke",
            """
            {
              "input": {
                "action": "process",
                "data": "test"
              }
            }
            """,
            200);
    assertThat(fieldNames(invoked)).containsExactlyInAnyOrder("message", "job_name");
    assertThat(invoked.path("message").asString())
        .isEqualTo("Function 'echoer' invoked successfully");
    String job = invoked.path("job_name").asString();
    assertThat(job).matches("echoer-invoke-\\d{10}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                logs("echoer", "?job=" + job)
                    .contains("job input: {\"action\":\"process\",\"data\":\"test\"} env: batch"));
    // The replica's own output is not the job's.
    assertThat(logs("echoer", "")).contains("job input: none").doesNotContain("process");
    // No body: the input is {}.
    assertThat(call("POST", "/v1/functions/echoer:invoke", null, 200).path("job_name").asString())
        .startsWith("echoer-invoke-");
    assertThat(
            call("GET", "/v1/functions/echoer/logs?job=nope", null, 404).path("message").asString())
        .isEqualTo("job 'nope' not found");
  }

  @Test
  void replicasThatKeepCrashingWaitLongerEachTimeUntilTheyRanStably() {
    requireEngine();
    // Test settings: back-off 1 s, doubled per crash in a row up to 4 s; reset after 5 s stable.
    call(
        "POST",
        "/v1/functions",
        "{\"name\":\"crasher\",\"image\":\""
            + image
            + "\",\"command\":[\"/bin/sh\",\"-c\",\"echo crashing; exit 3\"]}",
        201);
    // Runs longer than the reset period before each crash: every crash is the first in a row.
    call(
        "POST",
        "/v1/functions",
        "{\"name\":\"slow-crasher\",\"image\":\""
            + image
            + "\",\"command\":[\"/bin/sh\",\"-c\",\"/bin/busybox sleep 7; exit 4\"]}",
        201);

    Map<Integer, Long> backoffByCrashes = new TreeMap<>();
    List<String> messages = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode f = get("crasher");
              JsonNode loop = f.path("crash_loop");
              if (loop.isObject()) {
                backoffByCrashes.put(
                    loop.path("crashes_in_row").asInt(), loop.path("backoff_seconds").asLong());
                assertThat(loop.path("last_exit_code").asInt()).isEqualTo(3);
              }
              if (f.path("message").isString()) {
                messages.add(f.path("status").asString() + " " + f.path("message").asString());
              }
              return backoffByCrashes.keySet().stream().anyMatch(n -> n >= 4);
            });
    // Each crash in a row doubles the wait, up to the maximum.
    backoffByCrashes.forEach(
        (crashes, seconds) ->
            assertThat(seconds)
                .as("back-off after %d crashes in a row", crashes)
                .isEqualTo(Math.min(4L, 1L << (crashes - 1))));
    assertThat(backoffByCrashes).hasSizeGreaterThanOrEqualTo(3);
    assertThat(messages)
        .anyMatch(
            m ->
                m.startsWith("Pending CrashLoopBackOff: back-off ")
                    && m.contains("restarting a replica that exited with code 3"));
    JsonNode crasher = get("crasher");
    assertThat(crasher.path("restarts").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(crasher.path("available_replicas").asInt()).isLessThanOrEqualTo(1);

    // The slow crasher ran past the reset period each time: never more than one crash in a row.
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> get("slow-crasher").path("restarts").asInt() >= 2);
    JsonNode slow = get("slow-crasher").path("crash_loop");
    assertThat(slow.path("crashes_in_row").asInt()).isEqualTo(1);
    assertThat(slow.path("backoff_seconds").asLong()).isEqualTo(1);
    assertThat(slow.path("last_exit_code").asInt()).isEqualTo(4);

    // Stopping forgets the back-off.
    call("POST", "/v1/functions/crasher:stop", null, 200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("crasher").path("status").asString().equals("Stopped"));
    assertThat(get("crasher").has("crash_loop")).isFalse();
  }

  @Test
  void aJobThatExitsNonZeroIsReportedOnceAsFailed() {
    requireEngine();
    // The replica sleeps; a job exits 5 when its input asks it to fail, else 0.
    JsonNode created =
        call(
            "POST",
            "/v1/functions",
            "{\"name\":\"batch\",\"image\":\""
                + image
                + "\",\"command\":[\"/bin/sh\",\"-c\",\"[ -z \\\"$EVENTFLOW_INPUT\\\" ] && exec"
                + " /bin/busybox sleep 3600; echo \\\"job $EVENTFLOW_INPUT\\\"; case"
                + " \\\"$EVENTFLOW_INPUT\\\" in *fail*) exit 5;; esac\"]}",
            201);
    String key = "container/" + created.path("id").asString();
    awaitRunning("batch", 1);

    String failing =
        call("POST", "/v1/functions/batch:invoke", "{\"input\":\"please fail\"}", 200)
            .path("job_name")
            .asString();
    String passing =
        call("POST", "/v1/functions/batch:invoke", "{\"input\":\"fine\"}", 200)
            .path("job_name")
            .asString();
    // Two jobs of one second get names of their own (and so their own logs).
    assertThat(passing).isNotEqualTo(failing).startsWith("batch-invoke-");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> exitCode(created, failing) != null && exitCode(created, passing) != null);
    assertThat(exitCode(created, failing)).isEqualTo(5);
    assertThat(exitCode(created, passing)).isZero();
    assertThat(logs("batch", "?job=" + failing)).contains("job \"please fail\"");
    // Passes of the reconciler go on (every 300 ms here); the failure is reported once.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> outboxEvents("dev.cumulus.function.container.failed.v1", key) == 1);
    JsonNode event =
        JSON.readTree(
            db.sql(
                    "SELECT payload::text AS p FROM cumulus_outbox WHERE event_key = :key"
                        + " AND event_type = 'dev.cumulus.function.container.failed.v1'")
                .bind("key", key)
                .map(row -> row.get("p", String.class))
                .one()
                .block(Duration.ofSeconds(10)));
    assertThat(event.toString()).contains("\"job_name\":\"" + failing + "\"");
    assertThat(event.toString()).contains("\"exit_code\":5");
  }

  private Integer exitCode(JsonNode function, String job) {
    return db.sql(
            "SELECT exit_code FROM container_jobs WHERE function_id = :id AND job_name = :job"
                + " AND finished_at IS NOT NULL")
        .bind("id", UUID.fromString(function.path("id").asString()))
        .bind("job", job)
        .map(row -> row.get("exit_code", Integer.class))
        .one()
        .block(Duration.ofSeconds(10));
  }

  @Test
  void tenantsNeverSeeEachOthersFunctionsOrContainers() {
    requireEngine();
    call(
        "POST",
        "/v1/functions",
        "{\"name\":\"private\",\"image\":\"" + image + "\",\"command\":" + SERVER_COMMAND + "}",
        201);
    awaitRunning("private", 1);

    String other = "t-" + UUID.randomUUID();
    String otherToken = TestJwtIssuer.shared().token(other, "admin");
    try {
      assertThat(call("GET", "/v1/functions", otherToken, null, 200).size()).isZero();
      call("GET", "/v1/functions/private", otherToken, null, 404);
      call("GET", "/v1/functions/private/logs", otherToken, null, 404);
      call("POST", "/v1/functions/private:invoke", otherToken, null, 404);
      call("POST", "/v1/functions/private:stop", otherToken, null, 404);
      call("DELETE", "/v1/functions/private", otherToken, null, 404);
      // The same name is free in another namespace; its containers carry its own tenant.
      JsonNode theirs =
          call(
              "POST",
              "/v1/functions",
              otherToken,
              "{\"name\":\"private\",\"image\":\""
                  + image
                  + "\",\"command\":"
                  + SERVER_COMMAND
                  + "}",
              201);
      assertThat(theirs.path("namespace").asString()).isEqualTo(other);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ContainerTestEngine.containersOf(other, true).size() == 1);
      assertThat(get("private").path("status").asString()).isEqualTo("Running");
      List<String> mine = new ArrayList<>(ContainerTestEngine.containersOf(tenant, true));
      assertThat(mine)
          .hasSize(1)
          .doesNotContainAnyElementsOf(ContainerTestEngine.containersOf(other, true));
    } finally {
      removeFunctionsOf(other);
    }
  }

  @Test
  void environmentVariablesAreSealedAtRest() {
    JsonNode created =
        call(
            "POST",
            "/v1/functions",
            "{\"name\":\"sealed\",\"image\":\"nginx:alpine\",\"env\":{\"DB_PASSWORD\":\"hunter2-container\"}}",
            201);
    createFunction(
        "sealed-lambda",
        "python3.12",
        "app.handler",
        "app.py",
        "import os\ndef handler(event, context):\n    return os.environ['DB_PASSWORD']\n",
        "\"environment\":{\"variables\":{\"DB_PASSWORD\":\"hunter2-lambda\"}}");

    String containerColumn =
        db.sql("SELECT env::text AS v FROM container_functions WHERE id = :id")
            .bind("id", UUID.fromString(created.path("id").asString()))
            .map(row -> row.get("v", String.class))
            .one()
            .block();
    String lambdaColumn =
        db.sql("SELECT environment::text AS v FROM functions WHERE service_id = :s AND name = :n")
            .bind("s", service)
            .bind("n", "sealed-lambda")
            .map(row -> row.get("v", String.class))
            .one()
            .block();
    assertThat(containerColumn).contains("$sealed").doesNotContain("hunter2");
    assertThat(lambdaColumn).contains("$sealed").doesNotContain("hunter2");
    // Both still read back and reach the code.
    assertThat(get("sealed").path("env").path("DB_PASSWORD").asString())
        .isEqualTo("hunter2-container");
    assertThat(invoke("sealed-lambda", "{}").path("payload").asString())
        .isEqualTo("hunter2-lambda");
  }

  @Test
  void registryCredentialsAreSealedAtRestAndNeverAnswered() {
    JsonNode created =
        call(
            "POST",
            "/v1/functions",
            """
            {"name": "private", "image": "registry.example.com:5000/team/app:1",
             "registry_credentials": {"username": "robot", "password": "hunter2-registry"}}
            """,
            201);
    assertThat(created.toString()).doesNotContain("hunter2");
    assertThat(created.path("registry_credentials").toString())
        .isEqualTo("{\"username\":\"robot\"}");
    String column =
        db.sql("SELECT registry_credentials::text AS v FROM container_functions WHERE id = :id")
            .bind("id", UUID.fromString(created.path("id").asString()))
            .map(row -> row.get("v", String.class))
            .one()
            .block();
    assertThat(column).contains("$sealed").doesNotContain("hunter2").doesNotContain("robot");
    assertThat(get("private").toString()).doesNotContain("hunter2").contains("robot");
    assertThat(call("GET", "/v1/functions", null, 200).toString()).doesNotContain("hunter2");

    JsonNode half =
        call(
            "POST",
            "/v1/functions",
            "{\"name\":\"half\",\"image\":\"x\",\"registry_credentials\":{\"username\":\"robot\"}}",
            400);
    assertThat(half.path("message").asString())
        .isEqualTo("registry_credentials.password must be 1-4096 printable characters");
  }

  @Test
  void probesAnswerWithoutAToken() {
    assertThat(call("GET", "/healthz", null, null, 200).toString())
        .isEqualTo("{\"status\":\"healthy\"}");
    assertThat(call("GET", "/readyz", null, null, 200).toString())
        .isEqualTo("{\"status\":\"ready\"}");
  }

  @Test
  void metricsShowTheRequestsAndTheCallersNamespaceOnly() {
    call("POST", "/v1/functions", "{\"name\":\"counted\",\"image\":\"nginx:alpine\"}", 201);
    call("GET", "/v1/functions", null, 200);
    String other = "t-" + UUID.randomUUID();
    String otherToken = TestJwtIssuer.shared().token(other, "admin");
    try {
      call("POST", "/v1/functions", otherToken, "{\"name\":\"theirs\",\"image\":\"x\"}", 201);

      String mine = metrics(token);
      assertThat(mine)
          .contains("# TYPE eventflow_api_requests_total counter")
          .contains("# TYPE eventflow_functions_total gauge")
          .containsPattern(
              "eventflow_functions_total\\{namespace=\"" + tenant + "\",status=\"\\w+\"\\} 1")
          .doesNotContain(other);
      assertThat(mine.lines().filter(l -> l.startsWith("eventflow_api_requests_total{")))
          .anyMatch(
              l ->
                  l.contains("endpoint=\"/v1/functions\"")
                      && l.contains("method=\"GET\"")
                      && l.contains("status=\"200\"")
                      && l.matches(".* [1-9][0-9.E]*$"));
      assertThat(metrics(otherToken))
          .contains("namespace=\"" + other + "\"")
          .doesNotContain(tenant);
    } finally {
      removeFunctionsOf(other);
    }
  }

  private String metrics(String bearer) {
    return http.get()
        .uri("/metrics")
        .header("Authorization", "Bearer " + bearer)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private void awaitRunning(String name, int replicas) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonNode f = get(name);
              return f.path("status").asString().equals("Running")
                  && f.path("available_replicas").asInt() == replicas;
            });
  }

  private JsonNode get(String name) {
    return call("GET", "/v1/functions/" + name, null, 200);
  }

  private String logs(String name, String query) {
    String body =
        http.get()
            .uri("/v1/functions/" + name + "/logs" + query)
            .header("Authorization", "Bearer " + token)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return body == null ? "" : body;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.propertyNames().forEach(names::add);
    return names;
  }
}
