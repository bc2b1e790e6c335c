package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000 "Lambda-like Functions Service" over HTTP: the instance arrives as auth-service's {@code
 * service.created} over Kafka, then every curl example runs with its exact request. The seed's own
 * create example asks for {@code dotnet8}, which nothing here provides: it is refused with a 400
 * naming the runtimes available, and the same request with the Python client example's runtime
 * ({@code python3.9}, served by Debian's python3) deploys real code.
 */
class FunctionSeedIT extends FunctionTestSupport {

  static final String HANDLER =
      """
      import json, os

      def lambda_handler(event, context):
          print("processing", json.dumps(event, sort_keys=True), "level", os.environ.get("LOG_LEVEL"))
          return {
              "statusCode": 200,
              "userId": event.get("userId"),
              "action": event.get("action"),
              "function": context.function_name,
              "memory": context.memory_limit_in_mb,
              "requestId": context.aws_request_id,
          }
      """;

  @Test
  void everySeedFunctionExampleWorks() {
    String tenantId = "t-" + UUID.randomUUID();
    String serviceId = UUID.randomUUID().toString();
    String bearer = TestJwtIssuer.shared().token(tenantId, "admin");
    announce(tenantId, serviceId, "created");
    String api = "/api/function/" + tenantId + "/" + serviceId;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status("GET", api + "/functions", bearer, null) == 200);

    // List Functions: none yet
    assertThat(call("GET", api + "/functions", bearer, null, 200).path("count").asInt()).isZero();

    // Create Function, exact seed body: dotnet8 is not installed here
    String seedCreate =
        """
        {
          "functionName": "user-processor",
          "runtime": "dotnet8",
          "role": "arn:aws:iam::123456789012:role/lambda-execution-role",
          "handler": "MyFunction.Handler",
          "code": "UEsDBAoAAAAAAKxW...",
          "description": "Processes user data",
          "timeout": 30,
          "memorySize": 128,
          "environment": {
            "variables": {
              "LOG_LEVEL": "INFO",
              "DATABASE_URL": "postgresql://..."
            }
          }
        }
        """;
    JsonNode refused = call("POST", api + "/functions", bearer, seedCreate, 400);
    assertError(refused, "InvalidParameterValueException");
    assertThat(refused.path("error").path("message").asString())
        .contains("dotnet8")
        .contains("python3.11")
        .contains("nodejs20");

    // The same request with the Python example's runtime and handler, and a real zip
    String code = zip(Map.of("lambda_function.py", HANDLER));
    JsonNode created =
        call(
            "POST",
            api + "/functions",
            bearer,
            seedCreate
                .replace("dotnet8", "python3.9")
                .replace("MyFunction.Handler", "lambda_function.lambda_handler")
                .replace("UEsDBAoAAAAAAKxW...", code),
            201);
    assertThat(created.path("functionName").asString()).isEqualTo("user-processor");
    assertThat(created.path("runtime").asString()).isEqualTo("python3.9");
    assertThat(created.path("effectiveRuntime").asString()).isEqualTo("python3.11");
    assertThat(created.path("runtimeDescription").asString()).contains("python3");
    assertThat(created.path("timeout").asInt()).isEqualTo(30);
    assertThat(created.path("memorySize").asInt()).isEqualTo(128);
    assertThat(created.path("environment").path("variables").path("LOG_LEVEL").asString())
        .isEqualTo("INFO");
    assertThat(created.path("functionArn").asString())
        .isEqualTo("arn:aws:lambda:us-east-1:" + serviceId + ":function:user-processor");
    assertThat(created.path("version").asString()).isEqualTo("$LATEST");
    assertThat(created.path("codeSha256").asString()).isNotBlank();
    assertThat(
            outboxEvents("dev.cumulus.function.function.created.v1", serviceId + "/user-processor"))
        .isEqualTo(1);
    call(
        "POST",
        api + "/functions",
        bearer,
        seedCreate.replace("dotnet8", "python3.11").replace("UEsDBAoAAAAAAKxW...", code),
        409);

    // List Functions, Get Function Details
    JsonNode listed = call("GET", api + "/functions", bearer, null, 200);
    assertThat(listed.path("count").asInt()).isEqualTo(1);
    assertThat(listed.path("functions").get(0).path("functionName").asString())
        .isEqualTo("user-processor");
    JsonNode details = call("GET", api + "/functions/user-processor", bearer, null, 200);
    assertThat(details.path("configuration").path("handler").asString())
        .isEqualTo("lambda_function.lambda_handler");
    assertThat(details.path("versions").get(0).asString()).isEqualTo("$LATEST");

    // Update Function (exact seed body)
    JsonNode updated =
        call(
            "PUT",
            api + "/functions/user-processor",
            bearer,
            """
            {
              "description": "Updated function description",
              "timeout": 60,
              "memorySize": 256,
              "environment": {
                "variables": {
                  "LOG_LEVEL": "DEBUG"
                }
              }
            }
            """,
            200);
    assertThat(updated.path("description").asString()).isEqualTo("Updated function description");
    assertThat(updated.path("timeout").asInt()).isEqualTo(60);
    assertThat(updated.path("memorySize").asInt()).isEqualTo(256);
    assertThat(updated.path("environment").path("variables").size()).isEqualTo(1);
    assertThat(updated.path("handler").asString()).isEqualTo("lambda_function.lambda_handler");

    // Invoke Function (Synchronous), exact seed body: the real handler's result
    String syncBody =
        """
        {
          "payload": {
            "userId": 123,
            "action": "process",
            "data": {
              "name": "John Doe",
              "email": "john@example.com"
            }
          }
        }
        """;
    JsonNode result =
        call(
            "POST",
            api + "/functions/user-processor/invoke?invocationType=RequestResponse",
            bearer,
            syncBody,
            200);
    assertThat(result.path("statusCode").asInt()).isEqualTo(200);
    assertThat(result.has("functionError")).isFalse();
    assertThat(result.path("payload").path("userId").asInt()).isEqualTo(123);
    assertThat(result.path("payload").path("action").asString()).isEqualTo("process");
    assertThat(result.path("payload").path("function").asString()).isEqualTo("user-processor");
    assertThat(result.path("payload").path("memory").asInt()).isEqualTo(256);
    assertThat(result.path("payload").path("requestId").asString())
        .isEqualTo(result.path("requestId").asString());
    assertThat(result.path("coldStart").asBoolean()).isTrue();
    assertThat(result.path("initDurationMs").asDouble()).isPositive();
    assertThat(result.path("billedDurationMs").asLong()).isPositive();
    assertThat(result.path("logResult").asString())
        .contains("START RequestId: " + result.path("requestId").asString())
        .contains("processing {\"action\": \"process\"")
        .contains("level DEBUG")
        .contains("REPORT RequestId:")
        .contains("Init Duration:");

    // Warm: the same process answers the next invocation
    JsonNode warm =
        call(
            "POST",
            api + "/functions/user-processor/invoke?invocationType=RequestResponse",
            bearer,
            syncBody,
            200);
    assertThat(warm.path("coldStart").asBoolean()).isFalse();
    assertThat(warm.has("initDurationMs")).isFalse();

    // Invoke Function (Asynchronous), exact seed body: queued, then run
    JsonNode accepted =
        call(
            "POST",
            api + "/functions/user-processor/invoke?invocationType=Event",
            bearer,
            """
            {
              "payload": {
                "userId": 456,
                "action": "process_async"
              }
            }
            """,
            202);
    String requestId = accepted.path("requestId").asString();
    assertThat(accepted.path("status").asString()).isEqualTo("queued");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "succeeded"
                    .equals(
                        call(
                                "GET",
                                api + "/functions/user-processor/invocations/" + requestId,
                                bearer,
                                null,
                                200)
                            .path("status")
                            .asString()));
    JsonNode done =
        call("GET", api + "/functions/user-processor/invocations/" + requestId, bearer, null, 200);
    assertThat(done.path("result").path("userId").asInt()).isEqualTo(456);
    assertThat(done.path("result").path("action").asString()).isEqualTo("process_async");
    assertThat(
            outboxEvents("dev.cumulus.function.function.invoked.v1", serviceId + "/user-processor"))
        .isEqualTo(1);

    // Update Function Code, exact seed body: a truncated zip is refused
    assertError(
        call(
            "PUT",
            api + "/functions/user-processor/code",
            bearer,
            """
            {
              "zipFile": "UEsDBAoAAAAAAKxW1VIAAAAAAAAAAAUAYQAAAG15ZnVuY3Rpb24vUEsDBBQAAAAIAKxW1VI..."
            }
            """,
            400),
        "InvalidParameterValueException");
    // ... and a real one replaces the code: the next invocation runs it
    JsonNode recoded =
        call(
            "PUT",
            api + "/functions/user-processor/code",
            bearer,
            "{\"zipFile\":\""
                + zip(
                    Map.of(
                        "lambda_function.py",
                        "def lambda_handler(event, context):\n    return {'version': 2}\n"))
                + "\"}",
            200);
    assertThat(recoded.path("codeSha256").asString())
        .isNotEqualTo(created.path("codeSha256").asString());
    JsonNode second =
        call(
            "POST",
            api + "/functions/user-processor/invoke?invocationType=RequestResponse",
            bearer,
            syncBody,
            200);
    assertThat(second.path("payload").path("version").asInt()).isEqualTo(2);
    assertThat(second.path("coldStart").asBoolean()).isTrue();

    // Get Function Configuration
    JsonNode configuration =
        call("GET", api + "/functions/user-processor/configuration", bearer, null, 200);
    assertThat(configuration.path("memorySize").asInt()).isEqualTo(256);
    assertThat(configuration.path("codeSha256").asString())
        .isEqualTo(recoded.path("codeSha256").asString());

    // Get Function Invocation Metrics, exact seed query: nothing ran in 2024
    JsonNode old =
        call(
            "GET",
            api
                + "/functions/user-processor/invocations?startTime=2024-01-01T00:00:00Z&endTime=2024-01-02T00:00:00Z",
            bearer,
            null,
            200);
    assertThat(old.path("invocations").asLong()).isZero();
    assertThat(old.path("datapoints").size()).isZero();
    // ... and the last hour counts the four invocations (three synchronous, one event)
    String window =
        "?startTime="
            + Instant.now().minusSeconds(3600)
            + "&endTime="
            + Instant.now().plusSeconds(60);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call(
                            "GET",
                            api + "/functions/user-processor/invocations" + window,
                            bearer,
                            null,
                            200)
                        .path("invocations")
                        .asLong()
                    == 4);
    JsonNode recent =
        call("GET", api + "/functions/user-processor/invocations" + window, bearer, null, 200);
    assertThat(recent.path("errors").asLong()).isZero();
    assertThat(recent.path("coldStarts").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(recent.path("p50DurationMs").asDouble()).isPositive();
    assertThat(recent.path("p95DurationMs").asDouble())
        .isGreaterThanOrEqualTo(recent.path("p50DurationMs").asDouble());
    assertThat(recent.path("datapoints").size()).isPositive();
  }
}
