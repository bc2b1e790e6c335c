"""Cumulus function runtime for Python: one warm process serving many invocations.

Protocol over stdin/stdout, one JSON object per line. The first line is the init message
(handler, environment, function facts); the runtime imports the handler and answers
{"ready": true} or an init error. Every further line is an invocation {"requestId", "event",
"deadlineMs"}; the answer carries the same requestId, the handler's result or its error, and
what the handler printed (its log). Anything else written to stdout is treated as log text.
"""
import importlib
import io
import json
import os
import resource
import sys
import time
import traceback

MAX_LOG_CHARS = 64 * 1024
PROTOCOL = sys.stdout


def send(message):
    PROTOCOL.write(json.dumps(message, separators=(",", ":"), default=str) + "\n")
    PROTOCOL.flush()


def error(kind, message, stack=None):
    return {"ok": False, "errorType": kind, "errorMessage": message, "stackTrace": stack or []}


class Context:
    """The Lambda context object, with the attributes handlers commonly read."""

    def __init__(self, init, request):
        self.function_name = init["functionName"]
        self.function_version = init["functionVersion"]
        self.invoked_function_arn = init["functionArn"]
        self.memory_limit_in_mb = init["memoryMb"]
        self.aws_request_id = request["requestId"]
        self.log_group_name = "/aws/lambda/" + init["functionName"]
        self.log_stream_name = init.get("logStream", "cumulus")
        self._deadline_ms = request["deadlineMs"]

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def load(handler):
    module_name, _, function_name = handler.rpartition(".")
    if not module_name:
        raise ValueError("Bad handler '%s': expected module.function" % handler)
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, function_name)


def invoke(handler, init, request):
    captured = io.StringIO()
    sys.stdout = sys.stderr = captured
    try:
        result = handler(request["event"], Context(init, request))
        json.dumps(result)
        response = {"ok": True, "result": result}
    except MemoryError:
        response = error("Runtime.OutOfMemory", "The function ran out of memory")
    except Exception as e:  # the handler's own failure is its answer, not the runtime's
        response = error(type(e).__name__, str(e), traceback.format_exc().splitlines())
    finally:
        sys.stdout, sys.stderr = PROTOCOL, sys.__stderr__
    response["requestId"] = request["requestId"]
    response["logs"] = captured.getvalue()[-MAX_LOG_CHARS:]
    response["maxMemoryUsedKb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return response


def main():
    init = json.loads(sys.stdin.readline())
    os.environ.update(init.get("environment") or {})
    sys.path.insert(0, "/var/task")
    try:
        handler = load(init["handler"])
    except Exception as e:
        send(error("Runtime.ImportModuleError", "Unable to import handler '%s': %s" % (init["handler"], e),
                   traceback.format_exc().splitlines()))
        return
    send({"ready": True})
    for line in sys.stdin:
        response = invoke(handler, init, json.loads(line))
        send(response)
        if response.get("errorType") == "Runtime.OutOfMemory":
            return  # the heap may be in any state: a fresh process serves the next invocation


main()
