#!/usr/bin/env bash
# Function sandbox benchmark (issue 27, runtime layer): warm pooled runtime processes against a
# fresh sandbox per invocation, per runtime, with function-service's own bubblewrap flags,
# bootstraps and runtime protocol. See README.md for what it does not cover yet.
#
#   bench/functions/run.sh
#   WARM=5000 COLD=50 bench/functions/run.sh
#
# Needs: bwrap (apt-get install bubblewrap), python3, node; a JDK >= 21 for java21
# (CUMULUS_FUNCTION_JAVA). Holds /tmp/cumulus-mvn.lock while measuring: no Maven build meanwhile.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in bwrap /usr/bin/python3 /usr/bin/node prlimit; do
  command -v "$tool" >/dev/null || { echo "$tool missing (apt-get install bubblewrap python3 nodejs util-linux)" >&2; exit 1; }
done
exec 9>/tmp/cumulus-mvn.lock
echo "== waiting for /tmp/cumulus-mvn.lock"
flock 9
/usr/bin/python3 "$ROOT/bench/functions/sandbox_bench.py"
