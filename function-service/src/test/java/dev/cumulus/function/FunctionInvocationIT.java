package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Event invocations retried then dead-lettered, concurrency limits, versions and aliases, tenant
 * isolation, bad input in the DockSaaS envelope, and deleting the instance.
 */
class FunctionInvocationIT extends FunctionTestSupport {

  @Test
  void failingEventInvocationsAreRetriedTwiceThenDeadLettered() {
    createFunction(
        "flaky",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    raise RuntimeError('always fails: ' + event['id'])\n",
        null);
    JsonNode accepted =
        call(
            "POST",
            base + "/functions/flaky/invoke?invocationType=Event",
            "{\"payload\":{\"id\":\"e-1\"}}",
            202);
    String requestId = accepted.path("requestId").asString();
    String uri = base + "/functions/flaky/invocations/" + requestId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "dead_lettered".equals(call("GET", uri, null, 200).path("status").asString()));
    JsonNode dead = call("GET", uri, null, 200);
    assertThat(dead.path("attempts").asInt()).isEqualTo(3);
    assertThat(dead.path("errorType").asString()).isEqualTo("RuntimeError");
    assertThat(dead.path("errorMessage").asString()).isEqualTo("always fails: e-1");

    JsonNode letters = call("GET", base + "/functions/flaky/dead-letters", null, 200);
    assertThat(letters.path("count").asInt()).isEqualTo(1);
    assertThat(letters.path("invocations").get(0).path("requestId").asString())
        .isEqualTo(requestId);
    assertThat(outboxEvents("dev.cumulus.function.function.failed.v1", service + "/flaky"))
        .isEqualTo(1);
    String data =
        db.sql(
                "SELECT payload::text FROM cumulus_outbox WHERE event_type ="
                    + " 'dev.cumulus.function.function.failed.v1' AND event_key = :key")
            .bind("key", service + "/flaky")
            .map(r -> r.get(0, String.class))
            .one()
            .block();
    assertThat(data).contains(requestId).contains("always fails: e-1");

    // Three attempts, three errors in the metrics
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call("GET", base + "/functions/flaky/invocations", null, 200)
                        .path("errors")
                        .asLong()
                    == 3);
  }

  @Test
  void aFailedRequestResponseInvocationIsAFailedEvent() {
    createFunction(
        "picky",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n"
            + "    if event.get('bad'):\n"
            + "        raise ValueError('bad input: ' + event['bad'])\n"
            + "    return 'fine'\n",
        null);
    String key = service + "/picky";
    assertThat(invoke("picky", "{}").path("payload").asString()).isEqualTo("fine");
    JsonNode failed = invoke("picky", "{\"bad\":\"x-1\"}");
    assertThat(failed.path("functionError").asString()).isEqualTo("Unhandled");
    String requestId = failed.path("requestId").asString();

    // Recorded off the caller's path: the event follows the answer.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> outboxEvents("dev.cumulus.function.function.failed.v1", key) == 1);
    JsonNode data =
        JSON.readTree(
            db.sql(
                    "SELECT payload::text FROM cumulus_outbox WHERE event_type ="
                        + " 'dev.cumulus.function.function.failed.v1' AND event_key = :key")
                .bind("key", key)
                .map(r -> r.get(0, String.class))
                .one()
                .block());
    assertThat(data.path("requestId").asString()).isEqualTo(requestId);
    assertThat(data.path("invocationType").asString()).isEqualTo("RequestResponse");
    assertThat(data.path("errorType").asString()).isEqualTo("ValueError");
    assertThat(data.path("errorMessage").asString()).isEqualTo("bad input: x-1");
    // The successful invocation is no event; both are in the metrics.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode metrics = call("GET", base + "/functions/picky/invocations", null, 200);
              return metrics.path("invocations").asLong() == 2
                  && metrics.path("errors").asLong() == 1;
            });
    assertThat(outboxEvents("dev.cumulus.function.function.failed.v1", key)).isEqualTo(1);
  }

  @Test
  void anEventInvocationThatFailsOnceSucceedsOnItsRetry() {
    // The first attempt leaves a marker in the sandbox's /tmp, which is private to the process;
    // the function fails when its process is fresh: the retry after a crash runs in a new one.
    createFunction(
        "once",
        "python3.11",
        "app.handler",
        "app.py",
        "import os\ndef handler(event, context):\n"
            + "    if not os.path.exists('/tmp/seen'):\n"
            + "        open('/tmp/seen', 'w').close()\n"
            + "        raise RuntimeError('first attempt fails')\n"
            + "    return 'ok on retry'\n",
        null);
    String requestId =
        call("POST", base + "/functions/once/invoke?invocationType=Event", "{}", 202)
            .path("requestId")
            .asString();
    String uri = base + "/functions/once/invocations/" + requestId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "succeeded".equals(call("GET", uri, null, 200).path("status").asString()));
    JsonNode done = call("GET", uri, null, 200);
    assertThat(done.path("attempts").asInt()).isEqualTo(2);
    assertThat(done.path("result").asString()).isEqualTo("ok on retry");
  }

  @Test
  void reservedConcurrencyThrottlesWithTooManyRequests() throws Exception {
    createFunction(
        "off",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(e, c):\n    return 1\n",
        "\"reservedConcurrentExecutions\":0");
    assertError(
        call("POST", base + "/functions/off/invoke", "{}", 429), "TooManyRequestsException");

    createFunction(
        "single",
        "python3.11",
        "app.handler",
        "app.py",
        "import time\ndef handler(e, c):\n    time.sleep(2)\n    return 1\n",
        "\"reservedConcurrentExecutions\":1,\"timeout\":10");
    try (ExecutorService client = Executors.newSingleThreadExecutor()) {
      CompletableFuture<JsonNode> running =
          CompletableFuture.supplyAsync(() -> invoke("single", "{}"), client);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> status("POST", base + "/functions/single/invoke", token, "{}") == 429);
      assertThat(running.get().path("payload").asInt()).isEqualTo(1);
    }
    assertThat(invoke("single", "{}").path("payload").asInt()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call("GET", base + "/functions/single/invocations", null, 200)
                        .path("throttles")
                        .asLong()
                    >= 1);
  }

  @Test
  void versionsAndAliasesFreezeCode() {
    createFunction(
        "ver",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(e, c):\n    return 'one'\n",
        null);
    JsonNode v1 =
        call("POST", base + "/functions/ver/versions", "{\"description\":\"first\"}", 201);
    assertThat(v1.path("version").asString()).isEqualTo("1");
    assertThat(v1.path("functionArn").asString()).endsWith(":function:ver:1");
    call(
        "POST",
        base + "/functions/ver/aliases",
        "{\"name\":\"live\",\"functionVersion\":\"1\"}",
        201);
    // Invoked once before the change: this replica must not reuse what it read for that invoke.
    assertThat(invoke("ver", "{}").path("payload").asString()).isEqualTo("one");
    call(
        "PUT",
        base + "/functions/ver/code",
        "{\"zipFile\":\"" + zip(Map.of("app.py", "def handler(e, c):\n    return 'two'\n")) + "\"}",
        200);

    assertThat(invoke("ver", "{}").path("payload").asString()).isEqualTo("two");
    JsonNode live =
        call("POST", base + "/functions/ver/invoke?qualifier=live", "{\"payload\":{}}", 200);
    assertThat(live.path("payload").asString()).isEqualTo("one");
    assertThat(live.path("executedVersion").asString()).isEqualTo("1");
    assertThat(
            call("POST", base + "/functions/ver/invoke?qualifier=1", "{}", 200)
                .path("payload")
                .asString())
        .isEqualTo("one");
    assertThat(call("GET", base + "/functions/ver/aliases", null, 200).path("live").asString())
        .isEqualTo("1");
    JsonNode details = call("GET", base + "/functions/ver", null, 200);
    assertThat(details.path("versions").size()).isEqualTo(2);
    assertError(
        call("POST", base + "/functions/ver/invoke?qualifier=7", "{}", 404),
        "ResourceNotFoundException");

    call("DELETE", base + "/functions/ver", null, 204);
    assertError(call("GET", base + "/functions/ver", null, 404), "ResourceNotFoundException");
    assertError(
        call("POST", base + "/functions/ver/invoke", "{}", 404), "ResourceNotFoundException");
    assertThat(outboxEvents("dev.cumulus.function.function.deleted.v1", service + "/ver"))
        .isEqualTo(1);
  }

  @Test
  void otherTenantsAndOtherInstancesKeysAreRefused() {
    createFunction(
        "private",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(e, c):\n    return 1\n",
        null);
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    assertThat(status("GET", base + "/functions/private", stranger, null)).isEqualTo(403);
    assertThat(status("POST", base + "/functions/private/invoke", stranger, "{}")).isEqualTo(403);
    assertThat(status("GET", base + "/functions", stranger, null)).isEqualTo(403);

    Map<String, Object> claims = TestJwtIssuer.userClaims(tenant, "admin");
    claims.put(CumulusClaims.API_KEY_ID, "key-1");
    claims.put(CumulusClaims.SERVICE_ID, UUID.randomUUID().toString());
    String otherInstanceKey = TestJwtIssuer.shared().token(claims);
    assertThat(status("POST", base + "/functions/private/invoke", otherInstanceKey, "{}"))
        .isEqualTo(403);
    claims.put(CumulusClaims.SERVICE_ID, service);
    assertThat(
            status(
                "POST",
                base + "/functions/private/invoke",
                TestJwtIssuer.shared().token(claims),
                "{}"))
        .as("an API key without the write scope is read-only")
        .isEqualTo(403);
    assertThat(
            status("GET", base + "/functions/private", TestJwtIssuer.shared().token(claims), null))
        .isEqualTo(200);
    claims.put(CumulusClaims.SCOPES, java.util.List.of("write"));
    JsonNode own =
        call(
            "POST",
            base + "/functions/private/invoke",
            TestJwtIssuer.shared().token(claims),
            "{}",
            200);
    assertThat(own.path("payload").asInt()).isEqualTo(1);

    String unknown = "/api/function/" + tenant + "/" + UUID.randomUUID() + "/functions";
    assertThat(status("GET", unknown, token, null)).isEqualTo(404);
    assertThat(status("GET", base + "/functions", null, null)).isEqualTo(401);
  }

  @Test
  void badInputIsA4xxInTheEnvelope() {
    String code = zip(Map.of("app.py", "def handler(e, c):\n    return 1\n"));
    assertError(call("POST", base + "/functions", "{not json", 400), null);
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"bad name!\",\"runtime\":\"python3.11\",\"handler\":\"a.b\",\"code\":\""
                + code
                + "\"}",
            400),
        "InvalidParameterValueException");
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"f\",\"runtime\":\"python3.11\",\"handler\":\"a.b\"}",
            400),
        "InvalidParameterValueException");
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"f\",\"runtime\":\"python3.11\",\"handler\":\"a.b\",\"code\":\"%%%\"}",
            400),
        "InvalidParameterValueException");
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"f\",\"runtime\":\"python3.11\",\"handler\":\"a.b\",\"code\":\""
                + code
                + "\",\"timeout\":901}",
            400),
        "InvalidParameterValueException");
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"f\",\"runtime\":\"python3.11\",\"handler\":\"a.b\",\"code\":\""
                + code
                + "\",\"memorySize\":64}",
            400),
        "InvalidParameterValueException");
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"f\",\"runtime\":\"python3.11\",\"handler\":\"a.b\",\"code\":\""
                + code
                + "\",\"timeout\":\"soon\"}",
            400),
        null);
    // A zip whose entry climbs out of its directory is refused
    assertError(
        call(
            "POST",
            base + "/functions",
            "{\"functionName\":\"f\",\"runtime\":\"python3.11\",\"handler\":\"a.b\",\"code\":\""
                + zip(Map.of("../evil.py", "x"))
                + "\"}",
            400),
        "InvalidParameterValueException");
    assertError(call("GET", base + "/functions/nothere", null, 404), "ResourceNotFoundException");
    assertError(
        call("POST", base + "/functions/nothere/invoke", "{}", 404), "ResourceNotFoundException");
    createFunction(
        "f", "python3.11", "app.handler", "app.py", "def handler(e, c):\n    return 1\n", null);
    assertError(
        call("POST", base + "/functions/f/invoke?invocationType=Later", "{}", 400),
        "InvalidParameterValueException");
    assertThat(status("POST", base + "/functions/f/invoke?invocationType=DryRun", token, "{}"))
        .isEqualTo(204);
    assertError(
        call("GET", base + "/functions/f/invocations?startTime=yesterday", null, 400),
        "InvalidParameterValueException");
    assertError(
        call("GET", base + "/functions/f/invocations/" + UUID.randomUUID(), null, 404),
        "ResourceNotFoundException");
  }

  @Test
  void deletingTheInstanceDeletesItsFunctions() {
    String tenantId = "t-" + UUID.randomUUID();
    String serviceId = UUID.randomUUID().toString();
    String bearer = TestJwtIssuer.shared().token(tenantId, "admin");
    String api = "/api/function/" + tenantId + "/" + serviceId;
    announce(tenantId, serviceId, "created");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status("GET", api + "/functions", bearer, null) == 200);
    call(
        "POST",
        api + "/functions",
        bearer,
        "{\"functionName\":\"doomed\",\"runtime\":\"python3.11\",\"handler\":\"app.handler\",\"code\":\""
            + zip(Map.of("app.py", "def handler(e, c):\n    return 1\n"))
            + "\"}",
        201);
    announce(tenantId, serviceId, "deleted");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status("GET", api + "/functions", bearer, null) == 404);
    Long left =
        db.sql("SELECT count(*) FROM functions WHERE service_id = :service")
            .bind("service", serviceId)
            .map(r -> r.get(0, Long.class))
            .one()
            .block();
    assertThat(left).isZero();
  }
}
