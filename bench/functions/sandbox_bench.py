"""Runtime-layer benchmark of function-service's sandbox (see README.md).

For each runtime: a warm process (what function-service's pool keeps) serving N invocations one
after the other, against a fresh sandbox per invocation (the process-per-invoke baseline), with the
same bubblewrap flags, bootstrap and handler. Prints p50/p95 per invocation, invocations/s and the
ratio, and the cold start (sandbox + runtime + handler import).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUNTIMES_DIR = os.path.join(ROOT, "function-service", "src", "main", "resources", "runtimes")
JAVA = os.environ.get("CUMULUS_FUNCTION_JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
WARM = int(os.environ.get("WARM", "2000"))
COLD = int(os.environ.get("COLD", "20"))
MEMORY = 256


def sandbox(code_dir, command, memory_overhead):
    return [
        "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--hostname", "cumulus-function",
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
        "--size", str(64 << 20), "--tmpfs", "/tmp",
        "--ro-bind", code_dir, "/var/task", "--ro-bind", RUNTIMES_DIR, "/var/runtime",
        "--remount-ro", "/", "--chdir", "/var/task", "--clearenv",
        "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
        "--", "/usr/bin/prlimit", "--data=%d" % ((MEMORY + memory_overhead) << 20), "--nofile=256", "--",
    ] + command


def runtimes(work):
    py = os.path.join(work, "py")
    os.makedirs(py)
    with open(os.path.join(py, "app.py"), "w") as f:
        f.write("def handler(event, context):\n    return {'ok': True, 'n': event['n']}\n")
    js = os.path.join(work, "js")
    os.makedirs(js)
    with open(os.path.join(js, "index.js"), "w") as f:
        f.write("exports.handler = async (event) => ({ok: true, n: event.n});\n")
    yield "python3.11", py, "app.handler", ["/usr/bin/python3", "-u", "/var/runtime/bootstrap.py"], 0
    yield "nodejs20", js, "index.handler", ["/usr/bin/node", "--max-old-space-size=%d" % MEMORY, "/var/runtime/bootstrap.js"], 128
    if os.access(JAVA, os.X_OK):
        java = os.path.join(work, "java")
        os.makedirs(os.path.join(java, "bench"))
        src = os.path.join(work, "Handler.java")
        with open(src, "w") as f:
            f.write("package bench; import java.util.Map; public class Handler {"
                    " public Object handle(Map<String, Object> e) { return Map.of(\"ok\", true, \"n\", e.get(\"n\")); } }")
        subprocess.run([os.path.join(os.path.dirname(JAVA), "javac"), "--release", "21", "-d", java, src], check=True)
        yield "java21", java, "bench.Handler::handle", [
            JAVA, "-Xmx%dm" % MEMORY, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=32m", "-Xshare:auto", "/var/runtime/Bootstrap.java"], 256


def start(argv, handler):
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, bufsize=1)
    init = {"handler": handler, "environment": {}, "functionName": "bench", "functionVersion": "$LATEST",
            "functionArn": "arn:aws:lambda:us-east-1:bench:function:bench", "memoryMb": MEMORY}
    p.stdin.write(json.dumps(init) + "\n")
    ready = json.loads(p.stdout.readline())
    assert ready.get("ready"), ready
    return p


def invoke(p, n):
    p.stdin.write(json.dumps({"requestId": "r%d" % n, "deadlineMs": 2 ** 50, "event": {"n": n}}) + "\n")
    answer = json.loads(p.stdout.readline())
    assert answer["ok"] and answer["result"]["n"] == n, answer


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    print("== %d cores; load:%s" % (os.cpu_count(), os.getloadavg()))
    print("== warm: %d invocations on one pooled process; cold: %d invocations, a new sandbox each" % (WARM, COLD))
    print("%-11s %12s %12s %12s %12s %12s %10s" % ("runtime", "warm p50 ms", "warm p95 ms", "cold p50 ms",
                                                  "cold p95 ms", "warm inv/s", "cold/warm"))
    with tempfile.TemporaryDirectory() as work:
        for name, code, handler, command, overhead in runtimes(work):
            argv = sandbox(code, command, overhead)
            p = start(argv, handler)
            for i in range(50):  # JIT and caches
                invoke(p, i)
            warm = []
            began = time.perf_counter()
            for i in range(WARM):
                t = time.perf_counter()
                invoke(p, i)
                warm.append((time.perf_counter() - t) * 1000)
            rate = WARM / (time.perf_counter() - began)
            p.stdin.close()
            p.wait()
            cold = []
            for i in range(COLD):
                t = time.perf_counter()
                q = start(argv, handler)
                invoke(q, i)
                cold.append((time.perf_counter() - t) * 1000)
                q.stdin.close()
                q.wait()
            print("%-11s %12.3f %12.3f %12.1f %12.1f %12.0f %9.0fx" % (
                name, pct(warm, 0.5), pct(warm, 0.95), pct(cold, 0.5), pct(cold, 0.95), rate,
                statistics.median(cold) / statistics.median(warm)))


if __name__ == "__main__":
    sys.exit(main())
