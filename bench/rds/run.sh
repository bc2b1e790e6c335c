#!/usr/bin/env bash
# RDS benchmark (issue 24): one 1-row parameterized SELECT
#   SELECT id, name, active FROM bench_items WHERE id = ?      (a random id of 1000 rows)
# on an rdsdatabase instance, in one run:
#   1. latency, one call at a time: the seed's POST .../query directly to database-service
#      (http://127.0.0.1:8083), through the gateway (:8080), and a plain R2DBC client
#      (r2dbc-postgresql + r2dbc-pool, the versions database-service runs) as the instance's role;
#   2. throughput with CONNECTIONS (16) concurrent callers: POST .../query directly (wrk) and the
#      plain R2DBC client (RdsBench.java, a pool of the service's size, 4) on the same server.
# Targets: p50 < 2 ms direct, < 3 ms through the gateway; service throughput >= 50 % of plain.
#   3. the floors (FLOORS=1, default): the same wrk run against a bare reactor-netty server (bare:
#      a fixed row; select: the statement on R2DBC), Floor.java on database-service's class path.
#
#   bench/rds/run.sh
#   SAMPLES=2000 WARMUP_CALLS=2000 DURATION=10 CONNECTIONS=16 bench/rds/run.sh
#   PROFILE=1 bench/rds/run.sh     # also records database-service with JFR during the wrk run
#
# Needs: a JDK >= 21, curl, jq, wrk, Maven Central (first run; -o afterwards) and a Cumulus stack:
# a running `./cumulus up` of this work tree is used as it is; otherwise this script runs
# `./cumulus up` (which builds stale jars itself) and `./cumulus down` at the end. Measurements
# hold /tmp/cumulus-mvn.lock: no Maven build runs meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/rds"
WORK="${WORK:-/tmp/cumulus-bench-rds}"
DATA_DIR="${CUMULUS_DATA_DIR:-$ROOT/.cumulus/data}"
RUN_DIR="${CUMULUS_RUN_DIR:-$ROOT/.cumulus/run}"
GW="http://127.0.0.1:${CUMULUS_GATEWAY_PORT:-8080}"
DIRECT="http://127.0.0.1:${CUMULUS_DATABASE_PORT:-8083}"
LOCK=/tmp/cumulus-mvn.lock
CONNECTIONS="${CONNECTIONS:-16}"
DURATION="${DURATION:-10}"
PROFILE="${PROFILE:-0}"
FLOORS="${FLOORS:-1}"
FLOOR_PORT="${FLOOR_PORT:-19583}"
FLOOR_PID=""
export SAMPLES="${SAMPLES:-2000}" WARMUP_CALLS="${WARMUP_CALLS:-2000}" ROWS=1000
export CALLERS="$CONNECTIONS" POOL="${POOL:-4}" DURATION WARMUP="${WARMUP:-5}"

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in curl jq wrk; do command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y $tool" >&2; exit 1; }; done
mkdir -p "$WORK"
rm -f "$WORK"/*.log "$WORK"/*.txt.out

# --- the client's class path (Maven Central; offline once in ~/.m2) ----------------------------
CLASSPATH_FILE="$WORK/classpath.txt"
if [[ ! -s "$CLASSPATH_FILE" || "$HERE/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
  echo "== resolving the client's class path (bench/rds/pom.xml)"
  (cd "$ROOT" && ./mvnw -B -q -o -f bench/rds/pom.xml dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null 2>&1) ||
    (cd "$ROOT" && ./mvnw -B -q -f bench/rds/pom.xml dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE")
fi

# --- cleanup ------------------------------------------------------------------------------------
STARTED_CUMULUS=0
SERVICE_ID=""
login() { # the platform admin's token (seed 003's login, tenant "default")
  curl -sS --fail-with-body -H 'Content-Type: application/json' "$GW/api/tenants/auth/" \
    -d "$(jq -nc --arg pw "$(cat "$DATA_DIR/admin-password")" '{username:"admin",password:$pw,tenant_domain:"default"}')" \
    | jq -r .data.token
}
cleanup() {
  [[ -n "$FLOOR_PID" ]] && kill -9 "$FLOOR_PID" 2>/dev/null
  if [[ -n "$SERVICE_ID" ]]; then # the bench instance: its database and role are dropped
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $(login 2>/dev/null || true)" "$GW/api/services/$SERVICE_ID" || true
  fi
  if ((STARTED_CUMULUS)); then
    echo "== ./cumulus down (this script started it)"
    (cd "$ROOT" && ./cumulus down) || true
  fi
}
trap cleanup EXIT

# --- Cumulus: this work tree's stack, started here when it is not running ----------------------
ours_running() {
  local file
  for file in "$RUN_DIR"/*.pid; do
    [[ -s "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null && return 0
  done
  return 1
}
ports_busy() { # another tree's stack holds the shared ports
  local port
  for port in 8080 8081 8082 8083 8084 9092; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
  done
  return 1
}
if ours_running; then
  echo "== using the running Cumulus stack"
else
  waited=0
  while ports_busy; do
    ((waited % 60 == 0)) && echo "== ports 8080-8084/9092 are taken (another tree's stack?): waiting (${waited}s of 3600s)"
    ((waited >= 3600)) && { echo "still busy after 3600s" >&2; exit 1; }
    sleep 5; waited=$((waited + 5))
  done
  echo "== ./cumulus up (builds stale jars itself, under $LOCK)"
  STARTED_CUMULUS=1
  (cd "$ROOT" && ./cumulus up) >"$WORK/cumulus-up.log" 2>&1 || { tail -40 "$WORK/cumulus-up.log" >&2; exit 1; }
  tail -1 "$WORK/cumulus-up.log"
fi

echo "== logging in as the platform admin, creating an rdsdatabase instance"
TOKEN="$(login)"
AUTH="Authorization: Bearer $TOKEN"
INSTANCE="$(curl -sS --fail-with-body -H 'Content-Type: application/json' -H "$AUTH" \
  "$GW/api/services" -d "{\"serviceName\":\"bench-$(date +%s)\",\"serviceType\":\"rdsdatabase\"}")"
SERVICE_ID="$(jq -r .id <<<"$INSTANCE")"
TENANT="$(jq -r '.tenantId // "default"' <<<"$INSTANCE")"
API="/api/rdsdatabase/$TENANT/$SERVICE_ID"
for _ in $(seq 1 120); do # provisioning: 503 until the database and role exist
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$DIRECT$API/info")" == 200 ]] && break
  sleep 0.5
done
query() { # SQL through the service, failing loudly
  curl -sS --fail-with-body -H "$AUTH" -H 'Content-Type: application/json' "$DIRECT$API/query" \
    -d "$(jq -nc --arg q "$1" '{query:$q}')" >/dev/null
}
query "CREATE TABLE bench_items (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL)"
query "INSERT INTO bench_items SELECT i, 'item ' || i, i % 2 = 0 FROM generate_series(1, $ROWS) i"
query "ANALYZE bench_items"
LOGIN="$(curl -sS --fail-with-body -H "$AUTH" "$DIRECT$API/credentials")"
echo "   instance $SERVICE_ID, database $(jq -r .database <<<"$LOGIN"), $ROWS rows"

# --- measure ------------------------------------------------------------------------------------
cat >"$WORK/select.lua" <<'LUA'
-- POST .../query with a random id; any answer but 200 is counted by wrk as "Non-2xx".
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = '{"query":"SELECT id, name, active FROM bench_items WHERE id = ?","parameters":[' ..
    math.random(1, 1000) .. ']}'
  return wrk.format(nil, nil, nil, body)
end
LUA
rds_bench() { # mode label args...
  "$JAVA" -Xms128m -Xmx128m -cp "$(cat "$CLASSPATH_FILE")" "$HERE/RdsBench.java" "$@" 2>&1 | tee "$WORK/$2.log" || true
}
run_wrk() { # seconds
  wrk -t2 -c"$CONNECTIONS" -d"${1}s" --latency -H "$AUTH" -s "$WORK/select.lua" "$DIRECT$API/query"
}
database_pid() { cat "$RUN_DIR/database-service.pid" 2>/dev/null || true; }

exec 9>"$LOCK"
echo "== waiting for $LOCK"
flock 9
echo "== JDK $JAVA_HOME; $(nproc) cores; load:$(uptime | sed 's/.*load average://')"
echo "== latency: $WARMUP_CALLS warm-up calls, then $SAMPLES, one at a time"
rds_bench http direct "$DIRECT$API/query" "$TOKEN"
rds_bench http gateway "$GW$API/query" "$TOKEN"
echo "== plain R2DBC: latency as above, then $CONNECTIONS callers on $POOL connections for ${DURATION}s (warm-up ${WARMUP}s)"
rds_bench r2dbc plain "$(jq -r .host <<<"$LOGIN")" "$(jq -r .port <<<"$LOGIN")" \
  "$(jq -r .database <<<"$LOGIN")" "$(jq -r .username <<<"$LOGIN")" "$(jq -r .password <<<"$LOGIN")"
echo "== service throughput: wrk, $CONNECTIONS connections, ${DURATION}s (warm-up ${WARMUP}s)"
run_wrk "$WARMUP" >/dev/null
if [[ "$PROFILE" == 1 && -n "$(database_pid)" ]]; then
  jcmd "$(database_pid)" JFR.start name=rdsbench settings=profile filename="$WORK/database-service.jfr" >/dev/null
fi
run_wrk "$DURATION" | tee "$WORK/wrk.txt.out"
if [[ "$PROFILE" == 1 && -n "$(database_pid)" ]]; then
  jcmd "$(database_pid)" JFR.stop name=rdsbench >/dev/null
  echo "   JFR: $WORK/database-service.jfr (jfr print --events jdk.ExecutionSample ...)"
fi
# The floors (Floor.java on database-service's own class path, logback left out): the same wrk
# run against a bare server answering from memory, then against one running the statement on
# R2DBC; what any JVM HTTP service on this machine can do beside the plain client.
if [[ "$FLOORS" == 1 ]]; then
  SERVICE_CP="$(ls "$ROOT"/.cumulus/app/database-service/lib/*.jar 2>/dev/null | grep -v logback | paste -sd: || true)"
  floor_wrk() { # mode args...
    local mode="$1"; shift
    "$JAVA" -Xmx128m -cp "$SERVICE_CP" "$HERE/Floor.java" "$mode" "$FLOOR_PORT" "$@" >"$WORK/floor-$mode-server.log" 2>&1 &
    FLOOR_PID=$!
    for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break; sleep 0.5; done
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/select.lua" "http://127.0.0.1:$FLOOR_PORT/" >/dev/null
    echo "== floor $mode: wrk, $CONNECTIONS connections, ${DURATION}s"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/select.lua" "http://127.0.0.1:$FLOOR_PORT/" | tee "$WORK/floor-$mode.txt.out"
    kill -9 "$FLOOR_PID" 2>/dev/null || true; wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=""
  }
  floor_wrk bare
  floor_wrk select "$(jq -r .host <<<"$LOGIN")" "$(jq -r .port <<<"$LOGIN")" \
    "$(jq -r .database <<<"$LOGIN")" "$(jq -r .username <<<"$LOGIN")" "$(jq -r .password <<<"$LOGIN")"
fi
echo "== load after:$(uptime | sed 's/.*load average://')"
flock -u 9

# --- table and ratios ---------------------------------------------------------------------------
result() { grep -h '^RESULT ' "$WORK/$1.log" 2>/dev/null | tail -1 || true; }
wrk_rps="$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt.out")"
floor_rps() { awk '/^Requests\/sec/ {print $2}' "$WORK/floor-$1.txt.out" 2>/dev/null; }
bare_rps="$(floor_rps bare)"; select_rps="$(floor_rps select)"
wrk_errors="$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}' "$WORK/wrk.txt.out")"
{ result direct; result gateway; result plain; } | awk -v rps="$wrk_rps" -v werr="$wrk_errors" -v c="$CONNECTIONS" \
  -v bare="$bare_rps" -v sel="$select_rps" '
  { p50[$2] = $3; p90[$2] = $4; p99[$2] = $5; tput[$2] = $6; err[$2] = $7 }
  END {
    printf "\n%-34s %9s %9s %9s %7s\n", "one call at a time", "p50 ms", "p90 ms", "p99 ms", "errors"
    printf "%-34s %9s %9s %9s %7s\n", "POST query, direct", p50["direct"], p90["direct"], p99["direct"], err["direct"]
    printf "%-34s %9s %9s %9s %7s\n", "POST query, through the gateway", p50["gateway"], p90["gateway"], p99["gateway"], err["gateway"]
    printf "%-34s %9s %9s %9s %7s\n", "plain R2DBC", p50["plain"], p90["plain"], p99["plain"], err["plain"]
    printf "\n%-34s %12s %7s\n", c " concurrent callers", "statements/s", "errors"
    printf "%-34s %12s %7s\n", "POST query, direct (wrk)", rps, werr
    printf "%-34s %12s %7s\n", "plain R2DBC", tput["plain"], err["plain"]
    if (bare != "") printf "%-34s %12s\n", "floor: bare HTTP, no database", bare
    if (sel != "") printf "%-34s %12s\n", "floor: bare HTTP + R2DBC SELECT", sel
    if (sel != "" && tput["plain"] > 0)
      printf "floors / plain R2DBC: bare HTTP %.2f, HTTP + SELECT %.2f (the most any JVM HTTP service here could reach)\n", bare / tput["plain"], sel / tput["plain"]
    ratio = tput["plain"] > 0 ? rps / tput["plain"] : 0
    dr = (p50["plain"] > 0) ? p50["direct"] / p50["plain"] : 0
    gr = (p50["plain"] > 0) ? p50["gateway"] / p50["plain"] : 0
    printf "\nservice / plain R2DBC throughput: %.2f; p50 direct / plain: %.1fx, gateway / plain: %.1fx\n", ratio, dr, gr
    ok = (p50["direct"] != "" && p50["direct"] < 2 && p50["gateway"] < 3 && ratio >= 0.5)
    if (err["direct"] + err["gateway"] + err["plain"] + werr > 0) ok = 0
    printf "verdict (p50 direct < 2 ms, gateway < 3 ms, throughput >= 0.50 of plain, no errors): %s\n", ok ? "TARGETS MET" : "TARGETS MISSED"
  }'
echo "logs: $WORK/{direct,gateway,plain}.log, $WORK/wrk.txt.out"
