#!/usr/bin/env bash
# Queue benchmark (issue 22): the same AWS SDK v2 SQS client, same settings, one run, against
#   1. ElasticMQ (org.elasticmq:elasticmq-server_3, from Maven Central; in memory), the reference,
#   2. Cumulus queue-service directly (http://127.0.0.1:8084/sqs; durable: PostgreSQL),
#   3. Cumulus through the gateway (http://127.0.0.1:8080/sqs).
# Reports messages/s for SendMessage (one per call), SendMessageBatch (10), ReceiveMessage (10) +
# DeleteMessageBatch, at 4 and 32 concurrent callers, and the long-poll wake-up p50; then the
# ratios to ElasticMQ. Targets: >= 1.5x ElasticMQ direct; wake-up p50 < 5 ms.
#
#   bench/queue/run.sh
#   DURATION=10 WARMUP=20 LEVELS="4 32" WAKEUPS=50 bench/queue/run.sh
#   TARGETS="elasticmq direct" bench/queue/run.sh        # a subset of: elasticmq direct gateway
#   TARGETS="elasticmq direct bare durable floor" bench/queue/run.sh  # with the floors (see README)
#
# Needs: a JDK >= 21, curl, jq, Maven Central (first run; -o afterwards) and a Cumulus stack: a
# running `./cumulus up` of this work tree is used as it is; otherwise this script runs
# `./cumulus up` (which builds stale jars itself) and `./cumulus down` at the end. Measurements
# hold /tmp/cumulus-mvn.lock: no Maven build runs meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/queue"
WORK="${WORK:-/tmp/cumulus-bench-queue}"
ELASTICMQ_PORT="${ELASTICMQ_PORT:-19324}"
HEAP="${CUMULUS_SERVICE_HEAP:-128m}" # the heap ./cumulus gives queue-service, for ElasticMQ too
TARGETS="${TARGETS:-elasticmq direct gateway}"
DATA_DIR="${CUMULUS_DATA_DIR:-$ROOT/.cumulus/data}"
RUN_DIR="${CUMULUS_RUN_DIR:-$ROOT/.cumulus/run}"
GW="http://127.0.0.1:${CUMULUS_GATEWAY_PORT:-8080}"
DIRECT_SQS="http://127.0.0.1:${CUMULUS_QUEUE_PORT:-8084}/sqs"
LOCK="${CUMULUS_BENCH_LOCK:-/tmp/cumulus-mvn.lock}" # a caller that holds the shared lock already passes another file
export DURATION="${DURATION:-10}" WARMUP="${WARMUP:-20}" LEVELS="${LEVELS:-4 32}" WAKEUPS="${WAKEUPS:-50}"

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y $tool" >&2; exit 1; }; done
mkdir -p "$WORK"
rm -f "$WORK"/*.log
wants() { [[ " $TARGETS " == *" $1 "* ]]; }

# --- class paths: the client's and ElasticMQ's (Maven Central; offline once in ~/.m2) ----------
mvn_quiet() { # tries offline first, then online
  (cd "$ROOT" && ./mvnw -B -q -o "$@" >/dev/null 2>&1) || (cd "$ROOT" && ./mvnw -B -q "$@")
}
for profile in client elasticmq; do
  file="$WORK/$profile-classpath.txt"
  if [[ ! -s "$file" || "$HERE/pom.xml" -nt "$file" ]]; then
    echo "== resolving the $profile class path (bench/queue/pom.xml)"
    mvn_quiet -f bench/queue/pom.xml -P"$([[ $profile == client ]] && echo client || echo '!client,elasticmq')" \
      dependency:build-classpath -Dmdep.outputFile="$file"
  fi
done

# --- cleanup ------------------------------------------------------------------------------------
ELASTICMQ_PID=""
BARE_PID=""
BARE_PORT="${BARE_PORT:-19325}"
STARTED_CUMULUS=0
SERVICE_ID=""
login() { # the platform admin's token (seed 003's login, tenant "default")
  curl -sS --fail-with-body -H 'Content-Type: application/json' "$GW/api/tenants/auth/" \
    -d "$(jq -nc --arg pw "$(cat "$DATA_DIR/admin-password")" '{username:"admin",password:$pw,tenant_domain:"default"}')" \
    | jq -r .data.token
}
cleanup() {
  if [[ -n "$ELASTICMQ_PID" ]]; then kill "$ELASTICMQ_PID" 2>/dev/null || true; wait "$ELASTICMQ_PID" 2>/dev/null || true; fi
  if [[ -n "$BARE_PID" ]]; then kill "$BARE_PID" 2>/dev/null || true; wait "$BARE_PID" 2>/dev/null || true; fi
  if [[ -n "$SERVICE_ID" ]]; then # the bench instance, with its queues
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $(login 2>/dev/null || true)" "$GW/api/services/$SERVICE_ID" || true
  fi
  if ((STARTED_CUMULUS)); then
    echo "== ./cumulus down (this script started it)"
    (cd "$ROOT" && ./cumulus down) || true
  fi
}
trap cleanup EXIT

# --- Cumulus: this work tree's stack, started here when it is not running ----------------------
ours_running() { # this tree's ./cumulus up has pids recorded that are alive
  local file
  for file in "$RUN_DIR"/*.pid; do
    [[ -s "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null && return 0
  done
  return 1
}
ports_busy() { # another tree's stack (a CI run's smoke stage) holds the shared ports
  local port
  for port in 8080 8081 8082 8083 8084 9092; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
  done
  return 1
}
if wants direct || wants gateway || wants bare || wants durable || wants floor; then
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
  echo "== logging in as the platform admin, creating a queue instance"
  TOKEN="$(login)"
  INSTANCE="$(curl -sS --fail-with-body -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
    "$GW/api/services" -d "{\"serviceName\":\"bench-$(date +%s)\",\"serviceType\":\"queue\"}")"
  SERVICE_ID="$(jq -r .id <<<"$INSTANCE")"
  ACCESS_KEY="$(jq -r .s3Credentials.accessKeyId <<<"$INSTANCE")"
  SECRET_KEY="$(jq -r .s3Credentials.secretAccessKey <<<"$INSTANCE")"
  [[ "$ACCESS_KEY" != null ]] || { echo "POST /api/services gave no s3Credentials: $INSTANCE" >&2; exit 1; }
  echo "   instance $SERVICE_ID, access key $ACCESS_KEY"
fi

# --- measure: ElasticMQ, Cumulus direct, Cumulus through the gateway, one after the other -------
if wants elasticmq; then
  cat >"$WORK/elasticmq.conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = "127.0.0.1", port = $ELASTICMQ_PORT, context-path = "" }
rest-sqs { enabled = true, bind-port = $ELASTICMQ_PORT, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
CONF
  echo "== starting ElasticMQ on :$ELASTICMQ_PORT (heap $HEAP, in memory)"
  "$JAVA" -Xmx"$HEAP" -Dconfig.file="$WORK/elasticmq.conf" -cp "$(cat "$WORK/elasticmq-classpath.txt")" \
    org.elasticmq.server.Main >"$WORK/elasticmq-server.log" 2>&1 &
  ELASTICMQ_PID=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$ELASTICMQ_PORT/" && break; sleep 0.5; done
fi
exec 9>"$LOCK"
echo "== waiting for $LOCK"
flock 9
echo "== JDK $JAVA_HOME; $(nproc) cores; load:$(uptime | sed 's/.*load average://')"
echo "== callers: $LEVELS; ${DURATION}s per phase (warm-up ${WARMUP}s); $WAKEUPS long-poll wake-ups"
bench() { # label endpoint access-key secret-key
  "$JAVA" -Xms256m -Xmx256m -cp "$(cat "$WORK/client-classpath.txt")" "$HERE/SqsBench.java" "$@" 2>&1 \
    | tee "$WORK/$1.log" || true
}
wants elasticmq && bench elasticmq "http://127.0.0.1:$ELASTICMQ_PORT" bench bench
wants direct && bench direct "$DIRECT_SQS" "$ACCESS_KEY" "$SECRET_KEY"
wants gateway && bench gateway "$GW/sqs" "$ACCESS_KEY" "$SECRET_KEY"
# The floors, on queue-service's own class path (its extracted jars; logback left out: quiet).
SERVICE_CP="$(ls "$ROOT"/.cumulus/app/queue-service/lib/*.jar 2>/dev/null | grep -v logback | paste -sd: || true)"
if wants bare; then # SendMessage(Batch) answered by a bare reactor-netty server, nothing stored
  "$JAVA" -Xmx"$HEAP" -cp "$SERVICE_CP" "$HERE/Floor.java" http "$BARE_PORT" >"$WORK/bare-server.log" 2>&1 &
  BARE_PID=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/" && break; sleep 0.5; done
  PHASES="send batch" bench bare "http://127.0.0.1:$BARE_PORT" bench bench
  kill "$BARE_PID" 2>/dev/null || true; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=""
fi
# A scratch database migrated with queue-service's migrations and one queue row, for the floors
# that store (durable, floor).
PG_HOST="${CUMULUS_PG_HOST:-127.0.0.1}" PG_PORT="${CUMULUS_PG_PORT:-5432}" PG_USER="${CUMULUS_PG_USER:-postgres}"
FLOOR_QUEUE=00000000-0000-0000-0000-0000000000f1
psql_floor() { PGPASSWORD="${CUMULUS_PG_PASSWORD:-}" psql -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }
floor_database() {
  psql_floor -d postgres -c "DROP DATABASE IF EXISTS queue_bench_floor" -c "CREATE DATABASE queue_bench_floor"
  for migration in "$ROOT"/queue-service/src/main/resources/db/migration/V*.sql; do
    psql_floor -d queue_bench_floor -f "$migration" >/dev/null
  done
  psql_floor -d queue_bench_floor -c "INSERT INTO queues VALUES ('$FLOOR_QUEUE', 's', 't', 'floor', false, false, 30, 345600, 0, 262144, 0, NULL, NULL)"
}
if wants durable; then # the bare server committing each send's rows (a pool of 10) before it answers
  floor_database
  "$JAVA" -Xmx"$HEAP" -cp "$SERVICE_CP" "$HERE/Floor.java" http "$BARE_PORT" "$PG_HOST" "$PG_PORT" "$PG_USER" \
    queue_bench_floor "$FLOOR_QUEUE" >"$WORK/durable-server.log" 2>&1 &
  BARE_PID=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/" && break; sleep 0.5; done
  PHASES="send batch" bench durable "http://127.0.0.1:$BARE_PORT" bench bench
  kill "$BARE_PID" 2>/dev/null || true; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=""
  psql_floor -d postgres -c "DROP DATABASE IF EXISTS queue_bench_floor"
fi
if wants floor; then # only the durable INSERT, commit per statement, a connection per caller
  floor_database
  "$JAVA" -Xmx"$HEAP" -cp "$SERVICE_CP" "$HERE/Floor.java" insert "$PG_HOST" "$PG_PORT" "$PG_USER" queue_bench_floor "$FLOOR_QUEUE" 2>&1 \
    | grep -v -e '^SLF4J' -e '^WARNING' | tee "$WORK/floor.log" || true
  psql_floor -d postgres -c "DROP DATABASE IF EXISTS queue_bench_floor"
  # As a RESULT line: rows of 1 in the send column, rows of 10 in the batch column.
  awk '/^FLOOR insert/ { v[$3, $4] = $5; lv[++n] = $3 }
    END { l1 = lv[1]; l2 = lv[3]; printf "RESULT floor %s %s 0 %s %s 0 0 0 0\n", v[l1, 1], v[l1, 10], v[l2, 1], v[l2, 10] }' \
    "$WORK/floor.log" >>"$WORK/floor.log"
fi
echo "== load after:$(uptime | sed 's/.*load average://')"
flock -u 9

# --- table and ratios ---------------------------------------------------------------------------
for t in elasticmq direct gateway bare durable floor; do
  wants "$t" || continue
  r="$(grep -h '^RESULT ' "$WORK/$t.log" 2>/dev/null | tail -1 || true)"
  if [[ -n "$r" ]]; then echo "$r"; else echo "RESULT $t FAILED"; fi
done | awk -v levels="$LEVELS" '
  BEGIN { split(levels, lv, " ") }
  $3 == "FAILED" { print $2 ": FAILED (see its log)"; next }
  {
    t = $2; for (i = 3; i <= NF; i++) v[t, i - 2] = $i; seen[t] = 1; order[++n] = t
  }
  END {
    printf "\n%-10s %7s %12s %12s %16s\n", "msg/s", "callers", "send", "batch(10)", "recv(10)+delete"
    for (k = 1; k <= n; k++) for (l = 1; l <= 2; l++)
      printf "%-10s %7s %12s %12s %16s\n", order[k], lv[l], v[order[k], 3*l-2], v[order[k], 3*l-1], v[order[k], 3*l]
    printf "\n%-10s %14s %14s %7s\n", "", "wake-up p50 ms", "send p50 ms", "errors"
    for (k = 1; k <= n; k++) printf "%-10s %14s %14s %7s\n", order[k], v[order[k], 7], v[order[k], 8], v[order[k], 9]
    if (!seen["elasticmq"]) exit
    ok = 1
    for (k = 1; k <= n; k++) {
      t = order[k]; if (t == "elasticmq") continue
      printf "\n%s / ElasticMQ:", t
      for (l = 1; l <= 2; l++) for (c = 1; c <= 3; c++) {
        r = v["elasticmq", 3*(l-1)+c] > 0 ? v[t, 3*(l-1)+c] / v["elasticmq", 3*(l-1)+c] : 0
        printf " %s@%s %.2fx", (c == 1 ? "send" : c == 2 ? "batch" : "recv"), lv[l], r
        if (t == "direct" && r < 1.5) ok = 0
      }
      if (t == "direct" && v[t, 7] + 0 >= 5) ok = 0
      if (v[t, 9] + 0 > 0) ok = 0
    }
    printf "\nverdict (direct: every ratio >= 1.5x, wake-up p50 < 5 ms, no errors): %s\n", ok ? "TARGETS MET" : "TARGETS MISSED"
  }'
echo "logs: $WORK/<target>.log; ElasticMQ: $WORK/elasticmq-server.log"
