#!/usr/bin/env bash
# Kafka benchmark (issue 25): kafka-service's REST produce and consume against the native Java
# client (kafka-clients, the version kafka-service uses) on the same broker and the same topic, one
# run, and the delivery latency of a platform event (a storage upload) to tenant.<id>.events.
# Targets: REST produce >= 30 % and REST consume >= 30 % of native (kafka-service directly);
# event latency p50 < 50 ms after the causing commit.
#
#   bench/kafka/run.sh
#   CALLERS=8 DURATION=10 WARMUP=10 CONSUME_LIMIT=200000 CONSUME_BATCH=2000 LATENCIES=30 bench/kafka/run.sh
#   JFR=1 bench/kafka/run.sh     # also records kafka-service with JFR during the run
#   FLOOR=0 bench/kafka/run.sh   # without the consume floor (Floor.java: bare HTTP + native consumer)
#
# Needs: a JDK >= 21, curl, jq and a Cumulus stack: a running `./cumulus up` of this work tree is
# used as it is; otherwise this script builds stale jars and runs `./cumulus up`, and
# `./cumulus down` at the end. The whole run holds /tmp/cumulus-mvn.lock: no Maven build meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/kafka"
WORK="${WORK:-/tmp/cumulus-bench-kafka}"
DATA_DIR="${CUMULUS_DATA_DIR:-$ROOT/.cumulus/data}"
RUN_DIR="${CUMULUS_RUN_DIR:-$ROOT/.cumulus/run}"
GW="http://127.0.0.1:${CUMULUS_GATEWAY_PORT:-8080}"
DIRECT="http://127.0.0.1:${CUMULUS_KAFKA_PORT:-8086}"
BOOTSTRAP="127.0.0.1:${CUMULUS_KAFKA_BROKER_PORT:-9092}"
LOCK=/tmp/cumulus-mvn.lock
FLOOR_PORT="${FLOOR_PORT:-19592}"
export CALLERS="${CALLERS:-8}" DURATION="${DURATION:-10}" WARMUP="${WARMUP:-10}"
export CONSUME_LIMIT="${CONSUME_LIMIT:-200000}" LATENCIES="${LATENCIES:-30}" CONSUME_BATCH="${CONSUME_BATCH:-2000}"

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y $tool" >&2; exit 1; }; done
mkdir -p "$WORK"
rm -f "$WORK"/*.log

# The whole run holds $LOCK (no Maven build, no other bench meanwhile): the stack it starts uses
# the default ports, which other work trees' benches use too, and measurements need a quiet machine.
# CUMULUS_MVN_LOCK_HELD=1: the caller holds it already (e.g. `flock $LOCK sh -c 'verify; run.sh'`).
if [[ "${CUMULUS_MVN_LOCK_HELD:-0}" != 1 ]]; then
  exec 9>"$LOCK"
  echo "== waiting for $LOCK"
  flock 9
fi

CLASSPATH_FILE="$WORK/client-classpath.txt"
if [[ ! -s "$CLASSPATH_FILE" || "$HERE/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
  echo "== resolving the client class path (bench/kafka/pom.xml)"
  (cd "$ROOT" && ./mvnw -B -q -o -f bench/kafka/pom.xml dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null 2>&1) ||
    (cd "$ROOT" && ./mvnw -B -q -f bench/kafka/pom.xml dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE")
fi

STARTED_CUMULUS=0
KAFKA_ID=""
STORAGE_ID=""
login() { # the platform admin's token (seed 003's login, tenant "default")
  curl -sS --fail-with-body -H 'Content-Type: application/json' "$GW/api/tenants/auth/" \
    -d "$(jq -nc --arg pw "$(cat "$DATA_DIR/admin-password")" '{username:"admin",password:$pw,tenant_domain:"default"}')" \
    | jq -r .data.token
}
cleanup() {
  local id token
  [[ -n "${FLOOR_PID:-}" ]] && kill -9 "$FLOOR_PID" 2>/dev/null
  token="$(login 2>/dev/null || true)"
  for id in $KAFKA_ID $STORAGE_ID; do # the bench instances, with their topics and objects
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$GW/api/services/$id" || true
  done
  if ((STARTED_CUMULUS)); then
    echo "== ./cumulus down (this script started it)"
    (cd "$ROOT" && ./cumulus down) || true
  fi
}
trap cleanup EXIT

ours_running() {
  local file
  for file in "$RUN_DIR"/*.pid; do
    [[ -s "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null && return 0
  done
  return 1
}
if ours_running; then
  echo "== using the running Cumulus stack"
else
  echo "== ./cumulus up (stale jars built first, offline)"
  STARTED_CUMULUS=1
  # ./cumulus would build under $LOCK, which this script holds already: build here with its own
  # functions, Maven run directly, then start without building.
  (cd "$ROOT" && bash -c 'source ./cumulus && load_registry && pick_java && maven() { ./mvnw -o "$@"; } && build_if_needed') \
    >"$WORK/cumulus-build.log" 2>&1 || { tail -40 "$WORK/cumulus-build.log" >&2; exit 1; }
  (cd "$ROOT" && CUMULUS_SKIP_BUILD=1 ./cumulus up) >"$WORK/cumulus-up.log" 2>&1 || { tail -40 "$WORK/cumulus-up.log" >&2; exit 1; }
  tail -1 "$WORK/cumulus-up.log"
fi

echo "== logging in as the platform admin; a kafka instance with a topic, a storage instance with a bucket"
TOKEN="$(login)"
create_instance() { # type -> id
  curl -sS --fail-with-body -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
    "$GW/api/services" -d "{\"serviceName\":\"bench-$1-$(date +%s)\",\"serviceType\":\"$1\"}" | jq -r .id
}
KAFKA_ID="$(create_instance kafka)"
STORAGE_ID="$(create_instance s3storage)"
# The platform admin's tenant is "default"; kafka-service shows its topic prefix.
PREFIX="$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" "$GW/api/kafka/default/$KAFKA_ID/cluster/info" | jq -r .topicPrefix)" ||
  { echo "cluster/info failed for tenant 'default'" >&2; exit 1; }
TENANT="$(cut -d. -f2 <<<"$PREFIX")"
TOPIC="bench"
curl -sS --fail-with-body -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
  "$GW/api/kafka/$TENANT/$KAFKA_ID/topics" -d "{\"name\":\"$TOPIC\",\"partitions\":3,\"replicationFactor\":1}"
curl -sS --fail-with-body -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
  "$GW/api/s3storage/$TENANT/$STORAGE_ID/buckets" -d '{"name":"bench-events"}'
echo "   tenant $TENANT, kafka instance $KAFKA_ID (topic ${PREFIX}$TOPIC), storage instance $STORAGE_ID"

export TOKEN TOPIC BOOTSTRAP
export KAFKA_URL="$DIRECT/api/kafka/$TENANT/$KAFKA_ID"
export GATEWAY_KAFKA_URL="$GW/api/kafka/$TENANT/$KAFKA_ID"
export BROKER_TOPIC="${PREFIX}$TOPIC"
export STORAGE_URL="$GW/api/s3storage/$TENANT/$STORAGE_ID/buckets/bench-events"
export EVENT_TOPIC="tenant.$TENANT.events"

# The tenant's event topic exists once a first event was forwarded: one upload before measuring.
curl -sS --fail-with-body -o /dev/null -H "Authorization: Bearer $TOKEN" "$STORAGE_URL/objects" -F "file=@$HERE/README.md" -F key=first.txt
sleep 3

echo "== JDK $JAVA_HOME; $(nproc) cores; load:$(uptime | sed 's/.*load average://')"
KAFKA_PID="$(cat "$RUN_DIR/kafka-service.pid")"
if [[ "${JFR:-0}" == 1 ]]; then
  "$JAVA_HOME/bin/jcmd" "$KAFKA_PID" JFR.start name=bench settings=profile filename="$WORK/kafka-service.jfr" >/dev/null
fi
# The consume floor (Floor.java, on kafka-service's own class path, logback left out): a bare
# reactor-netty server answering the consume call from a native consumer, without commits.
FLOOR_PID=""
if [[ "${FLOOR:-1}" == 1 ]]; then
  SERVICE_CP="$(ls "$ROOT"/.cumulus/app/kafka-service/lib/*.jar 2>/dev/null | grep -v logback | paste -sd: || true)"
  "$JAVA" -Xmx128m -cp "$SERVICE_CP" "$HERE/Floor.java" "$FLOOR_PORT" "$BOOTSTRAP" "$BROKER_TOPIC" >"$WORK/floor-server.log" 2>&1 &
  FLOOR_PID=$!
  for _ in $(seq 1 120); do grep -q 'consume floor on' "$WORK/floor-server.log" && break; sleep 0.5; done
  export FLOOR_URL="http://127.0.0.1:$FLOOR_PORT"
fi
"$JAVA" -Xms256m -Xmx256m -cp "$(cat "$CLASSPATH_FILE")" "$HERE/KafkaBench.java" 2>&1 | tee "$WORK/bench.log" || true
if [[ -n "$FLOOR_PID" ]]; then kill "$FLOOR_PID" 2>/dev/null || true; wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=""; fi
if [[ "${JFR:-0}" == 1 ]]; then
  "$JAVA_HOME/bin/jcmd" "$KAFKA_PID" JFR.stop name=bench >/dev/null
  echo "== JFR recording: $WORK/kafka-service.jfr (jfr print --events jdk.ExecutionSample ...)"
fi
echo "== load after:$(uptime | sed 's/.*load average://')"

r="$(grep -h '^RESULT ' "$WORK/bench.log" | tail -1 || true)"
[[ -n "$r" ]] || { echo "no RESULT line: see $WORK/bench.log" >&2; exit 1; }
read -r _ np rp gp nc rc gc l50 l90 outbox forward deliver errors <<<"$r"
fc="$(awk '/^FLOOR / {print $2}' "$WORK/bench.log" | tail -1)"
awk -v np="$np" -v rp="$rp" -v gp="$gp" -v nc="$nc" -v rc="$rc" -v gc="$gc" -v l50="$l50" -v l90="$l90" \
    -v outbox="$outbox" -v forward="$forward" -v deliver="$deliver" -v errors="$errors" -v fc="$fc" 'BEGIN {
  printf "\n%-22s %12s %12s\n", "msg/s", "produce", "consume"
  printf "%-22s %12s %12s\n", "native Java client", np, nc
  printf "%-22s %12s %12s   (%.0f %% / %.0f %% of native)\n", "REST direct", rp, rc, 100 * rp / np, 100 * rc / nc
  printf "%-22s %12s %12s   (%.0f %% / %.0f %% of native)\n", "REST via gateway", gp, gc, 100 * gp / np, 100 * gc / nc
  if (fc != "") printf "%-22s %12s %12s   (%.0f %% of native: the most an HTTP consume reaches here)\n", "consume floor", "", fc, 100 * fc / nc
  printf "\nevent latency p50 %s ms, p90 %s ms (p50 parts: outbox %s, forward %s, delivery %s); errors %s\n", l50, l90, outbox, forward, deliver, errors
  ok = rp >= 0.3 * np && rc >= 0.3 * nc && l50 < 50 && errors == 0
  printf "verdict (direct produce and consume >= 30 %% of native, latency p50 < 50 ms, no errors): %s\n", ok ? "TARGETS MET" : "TARGETS MISSED"
}'
echo "logs: $WORK/bench.log"
