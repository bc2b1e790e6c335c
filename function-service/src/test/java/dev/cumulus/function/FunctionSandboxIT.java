package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox holds: real code of each runtime runs, a loop is killed at its timeout, an allocation
 * past the memory limit is killed and reported, a function cannot open a socket (unless allowed),
 * read another function's code or the host's files, or write outside /tmp; warm processes are
 * reused and parallel invocations run in parallel.
 */
class FunctionSandboxIT extends FunctionTestSupport {

  static final String PROBE =
      """
      import json, os, socket

      def handler(event, context):
          action = event["action"]
          if action == "listdir":
              return sorted(os.listdir(event["path"]))
          if action == "read":
              try:
                  with open(event["path"]) as f:
                      return {"read": f.read()[:100]}
              except OSError as e:
                  return {"error": type(e).__name__}
          if action == "write":
              try:
                  with open(event["path"], "w") as f:
                      f.write("x")
                  return {"written": True}
              except OSError as e:
                  return {"error": type(e).__name__}
          if action == "connect":
              try:
                  socket.create_connection(("127.0.0.1", event["port"]), timeout=2).close()
                  return {"connected": True}
              except OSError as e:
                  return {"error": type(e).__name__}
          if action == "pid":
              return {"pid": os.getpid(), "ppid": os.getppid(), "uid": os.getuid(), "user": os.environ.get("USER")}
          if action == "env":
              return dict(os.environ)
      """;

  @Test
  void pythonAndNodeHandlersReturnTheirResults() {
    createFunction(
        "py",
        "python3.12",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    return {'sum': event['a'] + event['b'], 'left': context.get_remaining_time_in_millis() > 0}\n",
        null);
    JsonNode py = invoke("py", "{\"a\":2,\"b\":3}");
    assertThat(py.path("payload").path("sum").asInt()).isEqualTo(5);
    assertThat(py.path("payload").path("left").asBoolean()).isTrue();

    createFunction(
        "js",
        "nodejs20.x",
        "index.handler",
        "index.js",
        "exports.handler = async (event, context) => { console.log('node says', event.a);"
            + " return {product: event.a * event.b, fn: context.functionName}; };",
        null);
    JsonNode js = invoke("js", "{\"a\":6,\"b\":7}");
    assertThat(js.path("payload").path("product").asInt()).isEqualTo(42);
    assertThat(js.path("payload").path("fn").asString()).isEqualTo("js");
    assertThat(js.path("logResult").asString()).contains("node says 6");

    createFunction(
        "cb",
        "nodejs20",
        "index.handler",
        "index.js",
        "exports.handler = (event, context, callback) => callback(null, {ok: event.n + 1});",
        null);
    assertThat(invoke("cb", "{\"n\":1}").path("payload").path("ok").asInt()).isEqualTo(2);
  }

  @Test
  void javaHandlersRunFromCompiledClasses() throws Exception {
    Path src = Files.createTempDirectory("java-fn");
    Files.createDirectories(src.resolve("demo"));
    Files.writeString(
        src.resolve("demo/Greeter.java"),
        """
        package demo;
        import java.util.Map;
        public class Greeter {
          public Map<String, Object> greet(Map<String, Object> event, Map<String, Object> context) {
            System.out.println("java says " + event.get("name"));
            return Map.of("greeting", "hello " + event.get("name"), "fn", context.get("functionName"));
          }
        }
        """);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(
            javac.run(
                null,
                null,
                null,
                "--release",
                "21",
                "-d",
                src.toString(),
                src.resolve("demo/Greeter.java").toString()))
        .isZero();
    String code =
        zipBinary(
            Map.of("demo/Greeter.class", Files.readAllBytes(src.resolve("demo/Greeter.class"))));
    call(
        "POST",
        base + "/functions",
        "{\"functionName\":\"java\",\"runtime\":\"java21\",\"handler\":\"demo.Greeter::greet\","
            + "\"memorySize\":256,\"timeout\":30,\"code\":\""
            + code
            + "\"}",
        201);
    JsonNode cold = invoke("java", "{\"name\":\"Ada\"}");
    assertThat(cold.path("payload").path("greeting").asString()).isEqualTo("hello Ada");
    assertThat(cold.path("payload").path("fn").asString()).isEqualTo("java");
    assertThat(cold.path("logResult").asString()).contains("java says Ada");
    JsonNode warm = invoke("java", "{\"name\":\"Grace\"}");
    assertThat(warm.path("payload").path("greeting").asString()).isEqualTo("hello Grace");
    assertThat(warm.path("coldStart").asBoolean()).isFalse();
  }

  @Test
  void handlerErrorsAreReportedAsFunctionErrors() {
    createFunction(
        "boom",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    raise ValueError('bad input: ' + str(event['x']))\n",
        null);
    JsonNode failed = invoke("boom", "{\"x\":1}");
    assertThat(failed.path("functionError").asString()).isEqualTo("Unhandled");
    assertThat(failed.path("payload").path("errorType").asString()).isEqualTo("ValueError");
    assertThat(failed.path("payload").path("errorMessage").asString()).isEqualTo("bad input: 1");
    assertThat(failed.path("payload").path("stackTrace").size()).isPositive();

    createFunction("missing", "python3.11", "nothere.handler", "app.py", "x = 1\n", null);
    JsonNode init = invoke("missing", "{}");
    assertThat(init.path("payload").path("errorType").asString())
        .isEqualTo("Runtime.ImportModuleError");
  }

  @Test
  void aLoopIsKilledAtItsTimeout() {
    createFunction(
        "loop",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    while True:\n        pass\n",
        "\"timeout\":1");
    long started = System.nanoTime();
    JsonNode timedOut = invoke("loop", "{}");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(timedOut.path("functionError").asString()).isEqualTo("Unhandled");
    assertThat(timedOut.path("payload").path("errorType").asString()).isEqualTo("Sandbox.Timedout");
    assertThat(timedOut.path("payload").path("errorMessage").asString())
        .isEqualTo("Task timed out after 1.00 seconds");
    assertThat(timedOut.path("durationMs").asDouble()).isBetween(900.0, 5000.0);

    createFunction(
        "jsloop",
        "nodejs20",
        "index.handler",
        "index.js",
        "exports.handler = async () => { for (;;) {} };",
        "\"timeout\":1");
    assertThat(invoke("jsloop", "{}").path("payload").path("errorType").asString())
        .isEqualTo("Sandbox.Timedout");
  }

  @Test
  void anAllocationPastTheMemoryLimitIsKilledAndReported() {
    createFunction(
        "hog",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    chunks = [bytearray(50 * 1024 * 1024) for _ in range(10)]\n    return len(chunks)\n",
        "\"memorySize\":128");
    JsonNode hog = invoke("hog", "{}");
    assertThat(hog.path("functionError").asString()).isEqualTo("Unhandled");
    assertThat(hog.path("payload").path("errorType").asString()).isEqualTo("Runtime.OutOfMemory");

    createFunction(
        "jshog",
        "nodejs20",
        "index.handler",
        "index.js",
        "exports.handler = async () => { const a = []; for (;;) a.push(Buffer.alloc(16 << 20, 1)); };",
        "\"memorySize\":128");
    JsonNode jsHog = invoke("jshog", "{}");
    assertThat(jsHog.path("payload").path("errorType").asString()).isEqualTo("Runtime.OutOfMemory");

    // The next invocation gets a fresh process and works
    createFunction(
        "small",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    return len(bytearray(event['mb'] * 1024 * 1024))\n",
        "\"memorySize\":128");
    assertThat(invoke("small", "{\"mb\":300}").path("payload").path("errorType").asString())
        .isEqualTo("Runtime.OutOfMemory");
    assertThat(invoke("small", "{\"mb\":10}").path("payload").asLong()).isEqualTo(10L << 20);
  }

  @Test
  void aFunctionSeesOnlyItsOwnCodeAndCannotWriteOutsideTmp() {
    createFunction("probe", "python3.11", "probe.handler", "probe.py", PROBE, null);
    createFunction(
        "secret",
        "python3.11",
        "app.handler",
        "app.py",
        "SECRET = 'other tenant data'\ndef handler(e, c):\n    return SECRET\n",
        null);
    assertThat(invoke("secret", "{}").path("payload").asString()).isEqualTo("other tenant data");

    JsonNode root = invoke("probe", "{\"action\":\"listdir\",\"path\":\"/\"}").path("payload");
    assertThat(names(root)).doesNotContain("etc", "root", "home", "work", "sys");
    assertThat(
            names(
                invoke("probe", "{\"action\":\"listdir\",\"path\":\"/var/task\"}").path("payload")))
        .containsExactly("probe.py");
    assertThat(names(invoke("probe", "{\"action\":\"listdir\",\"path\":\"/tmp\"}").path("payload")))
        .isEmpty();
    // The host's work directory (where every function's code is unpacked) is not there
    assertThat(
            invoke("probe", "{\"action\":\"read\",\"path\":\"" + WORK_DIR + "\"}")
                .path("payload")
                .path("error")
                .asString())
        .isEqualTo("FileNotFoundError");
    assertThat(
            invoke("probe", "{\"action\":\"read\",\"path\":\"/etc/passwd\"}")
                .path("payload")
                .path("error")
                .asString())
        .isEqualTo("FileNotFoundError");

    for (String path : List.of("/var/task/x.py", "/usr/x", "/x", "/var/runtime/x")) {
      assertThat(
              invoke("probe", "{\"action\":\"write\",\"path\":\"" + path + "\"}")
                  .path("payload")
                  .path("error")
                  .asString())
          .as(path)
          .isIn("OSError", "PermissionError", "FileNotFoundError");
    }
    assertThat(
            invoke("probe", "{\"action\":\"write\",\"path\":\"/tmp/scratch\"}")
                .path("payload")
                .path("written")
                .asBoolean())
        .isTrue();

    // Its own PID namespace: no host process is visible
    JsonNode pid = invoke("probe", "{\"action\":\"pid\"}").path("payload");
    assertThat(pid.path("pid").asInt()).isLessThan(10);
    // Environment: only what the function and Lambda define, no host variables
    JsonNode env = invoke("probe", "{\"action\":\"env\"}").path("payload");
    assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asString()).isEqualTo("probe");
    assertThat(env.has("JAVA_HOME")).isFalse();
    assertThat(env.has("CUMULUS_TEST_PG_URL")).isFalse();
  }

  @Test
  void noNetworkUnlessTheFunctionAllowsIt() {
    createFunction("closed", "python3.11", "probe.handler", "probe.py", PROBE, null);
    createFunction(
        "open", "python3.11", "probe.handler", "probe.py", PROBE, "\"allowNetwork\":true");
    String connect = "{\"action\":\"connect\",\"port\":" + port + "}";
    assertThat(invoke("closed", connect).path("payload").path("error").asString())
        .isIn("OSError", "ConnectionRefusedError");
    assertThat(invoke("open", connect).path("payload").path("connected").asBoolean()).isTrue();
  }

  @Test
  void warmProcessesAreReusedAndParallelInvocationsRunInParallel() {
    createFunction("probe", "python3.11", "probe.handler", "probe.py", PROBE, null);
    JsonNode first = invoke("probe", "{\"action\":\"pid\"}");
    JsonNode second = invoke("probe", "{\"action\":\"pid\"}");
    assertThat(first.path("coldStart").asBoolean()).isTrue();
    assertThat(second.path("coldStart").asBoolean()).isFalse();

    createFunction(
        "sleepy",
        "python3.11",
        "app.handler",
        "app.py",
        "import time\ndef handler(event, context):\n    time.sleep(1.5)\n    return event['i']\n",
        "\"timeout\":10");
    long started = System.nanoTime();
    List<Integer> results;
    try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
      List<CompletableFuture<JsonNode>> calls =
          List.of(1, 2, 3, 4).stream()
              .map(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> invoke("sleepy", "{\"i\":" + i + "}"), clients))
              .toList();
      results = calls.stream().map(c -> c.join().path("payload").asInt()).sorted().toList();
    }
    assertThat(results).containsExactly(1, 2, 3, 4);
    // Four 1.5 s invocations one after the other would take 6 s
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4500));
    JsonNode details = call("GET", base + "/functions/sleepy", null, 200);
    assertThat(details.path("warmInstances").asInt()).isEqualTo(4);
  }

  private static List<String> names(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }
}
