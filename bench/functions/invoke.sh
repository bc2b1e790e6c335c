#!/usr/bin/env bash
# End-to-end invoke benchmark (issue 27): warm RequestResponse invokes of a trivial Python handler
# through the gateway (Bearer JWT, rate limits, routing) into function-service (instance check,
# warm sandboxed process, metrics recording), also straight to function-service, against the
# container-per-invoke baseline: `podman run --rm` of the same handler on the same interpreter, in
# the same run. Prints p50/p99, invokes/s and the ratios. Target: p50 < 10 ms and >= 500 invokes/s
# through the gateway on 2 cores.
#
#   bench/functions/invoke.sh
#   BUILD=1 bench/functions/invoke.sh                       # rebuild the jars first
#   DURATION=20s CONNECTIONS=32 CONTAINER_RUNS=40 bench/functions/invoke.sh
#   FUNCTION_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/fn.jfr,settings=profile" bench/functions/invoke.sh
#
# Starts its own processes on ports of its own (nothing of ./cumulus up is needed or touched):
# a key server issuing one enterprise-plan token (bench/gateway/BenchServers.java), devstack's
# Kafka broker, function-service and the gateway, and stops them at the end. Needs a JDK >= 21,
# wrk, curl, jq, psql, zip, podman, bubblewrap, PostgreSQL and Redis on their usual local ports.
# Builds and measurements hold /tmp/cumulus-mvn.lock.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${WORK:-/tmp/cumulus-bench-functions}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-30s}"  # 5 s leaves the JIT cold: a third of the warm figure (README)
CONNECTIONS="${CONNECTIONS:-16}"
# The target is latency and throughput at once: judged on a run with a few connections, since a
# saturating run's p50 is only its queue (Little's law: 16 in flight at 1,600/s wait 10 ms).
TARGET_CONNECTIONS="${TARGET_CONNECTIONS:-4}"
THREADS="${THREADS:-2}"
CONTAINER_RUNS="${CONTAINER_RUNS:-20}"
CONTAINER_PARALLEL="${CONTAINER_PARALLEL:-4}"
BASE_PORT="${BASE_PORT:-18300}"
GATEWAY_PORT=$BASE_PORT FUNCTION_PORT=$((BASE_PORT + 5)) JWKS_PORT=$((BASE_PORT + 11))
UPSTREAM_PORT=$((BASE_PORT + 10)) BARE_PORT=$((BASE_PORT + 12))
KAFKA_PORT=$((BASE_PORT + 20)) KAFKA_CONTROLLER_PORT=$((BASE_PORT + 21))
TENANT="bench-tenant"
SERVICE_ID="bench-functions-$$"
DB=cumulus_function_bench
IMAGE=localhost/cumulus-bench/python-handler
LOCK=/tmp/cumulus-mvn.lock
VERSION=0.1.0-SNAPSHOT

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in wrk curl jq psql zip podman bwrap; do
  command -v "$tool" >/dev/null || { echo "$tool missing (apt-get install wrk curl jq postgresql-client zip podman bubblewrap)" >&2; exit 1; }
done

jar() { echo "$ROOT/$1/target/$1-$VERSION.jar"; }
if [[ "${BUILD:-0}" == 1 || ! -f "$(jar gateway)" || ! -f "$(jar function-service)" || ! -f "$(jar devstack)" ]]; then
  echo "== building gateway, function-service and devstack jars"
  (cd "$ROOT" && flock "$LOCK" ./mvnw -B -o -q -pl gateway,function-service,devstack package -DskipTests)
fi
rm -rf "$WORK" && mkdir -p "$WORK"
for module in gateway function-service; do
  "$JAVA" -Djarmode=tools -jar "$(jar "$module")" extract --destination "$WORK/$module" >/dev/null
done

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
wait_http() { # url name
  for _ in $(seq 1 360); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "$2 did not come up: see $WORK/*.log" >&2; exit 1
}

echo "== key server (:$JWKS_PORT), devstack Kafka (:$KAFKA_PORT)"
"$JAVA" -Xmx128m -cp "$WORK/gateway/lib/*" "$ROOT/bench/gateway/BenchServers.java" \
  "$UPSTREAM_PORT" "$JWKS_PORT" "$WORK/token" "$TENANT" "$BARE_PORT" "$FUNCTION_PORT" >"$WORK/keys.log" 2>&1 &
PIDS+=($!)
env CUMULUS_DATA_DIR="$WORK/devstack-data" CUMULUS_RUN_DIR="$WORK/devstack-run" \
  CUMULUS_KAFKA_BROKER_PORT="$KAFKA_PORT" CUMULUS_KAFKA_CONTROLLER_PORT="$KAFKA_CONTROLLER_PORT" \
  CUMULUS_KAFKA_TENANT_PORT=0 \
  "$JAVA" -Xmx512m -jar "$(jar devstack)" >"$WORK/devstack.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" "key server"
for _ in $(seq 1 240); do [[ -s "$WORK/devstack-run/devstack.env" ]] && break; sleep 0.5; done
[[ -s "$WORK/devstack-run/devstack.env" ]] || { echo "devstack did not come up: $WORK/devstack.log" >&2; exit 1; }
TOKEN="$(cat "$WORK/token")"

echo "== function-service (:$FUNCTION_PORT) and gateway (:$GATEWAY_PORT)"
JWKS="http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json"
NOWHERE="http://127.0.0.1:9" # every other service: not part of this benchmark
env CUMULUS_FUNCTION_PORT="$FUNCTION_PORT" CUMULUS_JWKS_URI="$JWKS" CUMULUS_FUNCTION_DB="$DB" \
  CUMULUS_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT" CUMULUS_AUTH_URL="$NOWHERE" \
  CUMULUS_FUNCTION_WORK_DIR="$WORK/function-work" CUMULUS_FUNCTION_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" \
  "$JAVA" -Xms256m -Xmx512m ${FUNCTION_JAVA_OPTS:-} -jar "$WORK/function-service/function-service-$VERSION.jar" \
  >"$WORK/function-service.log" 2>&1 &
PIDS+=($!)
env CUMULUS_GATEWAY_PORT="$GATEWAY_PORT" CUMULUS_GATEWAY_MANAGEMENT_PORT="$((GATEWAY_PORT + 1))" \
  CUMULUS_JWKS_URI="$JWKS" CUMULUS_GATEWAY_DB=cumulus_gateway_bench_functions \
  CUMULUS_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT" \
  CUMULUS_FUNCTION_URL="http://127.0.0.1:$FUNCTION_PORT" CUMULUS_AUTH_URL="$NOWHERE" \
  CUMULUS_STORAGE_URL="$NOWHERE" CUMULUS_DATABASE_URL="$NOWHERE" CUMULUS_QUEUE_URL="$NOWHERE" \
  CUMULUS_KAFKA_SERVICE_URL="$NOWHERE" CUMULUS_UPDATER_URL="$NOWHERE" \
  CUMULUS_COMMERCE_URL="$NOWHERE" CUMULUS_INTEGRATION_URL="$NOWHERE" \
  "$JAVA" -Xms512m -Xmx512m ${GATEWAY_JAVA_OPTS:-} -jar "$WORK/gateway/gateway-$VERSION.jar" \
  --cumulus.gateway.rate-limits.plans.enterprise=1000000000/1h \
  --cumulus.gateway.rate-limits.key-prefix="bench-functions-$$:" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$FUNCTION_PORT/actuator/health/liveness" "function-service"
wait_http "http://127.0.0.1:$((GATEWAY_PORT + 1))/actuator/health/liveness" "gateway"

# The function instance, as function-service records auth-service's service.created event.
psql -q -h 127.0.0.1 -U postgres -d "$DB" -c \
  "INSERT INTO cumulus_instances (service_id, service_type, tenant_id, name, state)
   VALUES ('$SERVICE_ID', 'function', '$TENANT', 'bench', 'ready') ON CONFLICT DO NOTHING" >/dev/null

echo "== deploying the handler"
mkdir -p "$WORK/code" "$WORK/image/rootfs/usr" "$WORK/image/rootfs/var/task" "$WORK/image/rootfs/tmp"
printf 'def handler(event, context):\n    return {"ok": True, "n": event["n"]}\n' >"$WORK/code/app.py"
(cd "$WORK/code" && zip -q ../fn.zip app.py)
FN="/api/function/$TENANT/$SERVICE_ID/functions"
curl -sS --fail-with-body -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "http://127.0.0.1:$GATEWAY_PORT$FN" \
  -d "{\"functionName\":\"trivial\",\"runtime\":\"python3.11\",\"handler\":\"app.handler\",\"code\":\"$(base64 -w0 "$WORK/fn.zip")\",\"memorySize\":128}"
INVOKE="$FN/trivial/invoke?invocationType=RequestResponse"
BODY='{"payload":{"n":1}}'
answer="$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "http://127.0.0.1:$GATEWAY_PORT$INVOKE" -d "$BODY")"
[[ "$(jq -c .payload <<<"$answer")" == '{"ok":true,"n":1}' ]] || { echo "unexpected invoke answer: $answer" >&2; exit 1; }
echo "   first invoke: cold start $(jq .initDurationMs <<<"$answer") ms"

# The container-per-invoke baseline: the same file and interpreter (the host's /usr, read-only)
# in an image FROM scratch, one `podman run --rm` per invoke.
# podman as the project configures it (no default ulimits, cgroupfs: deploy/podman/start.sh).
bash "$ROOT/deploy/podman/start.sh" >"$WORK/podman-start.log" 2>&1 || { cat "$WORK/podman-start.log" >&2; exit 1; }
cp "$WORK/code/app.py" "$WORK/image/rootfs/var/task/"
(cd "$WORK/image/rootfs" && ln -s usr/bin bin && ln -s usr/lib lib && ln -s usr/lib64 lib64)
printf 'FROM scratch\nCOPY rootfs/ /\nWORKDIR /var/task\n' >"$WORK/image/Containerfile"
podman build -q -t "$IMAGE" "$WORK/image" >/dev/null
run_container() {
  podman run --rm -v /usr:/usr:ro "$IMAGE" /usr/bin/python3 -c \
    'import json, app; print(json.dumps(app.handler({"n": 1}, None)))' >/dev/null
}
run_container # the image is local and warm in the page cache from here on

cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
run_wrk() { # connections duration url (wrk needs no more threads than connections)
  wrk -t"$(( $1 < THREADS ? $1 : THREADS ))" -c"$1" -d"$2" --latency -s "$WORK/post.lua" "$3"
}
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "%s", v }'
}
summary() { # wrk output -> "p50 p99 rps errors"
  local p50 p99 rps errors
  p50=$(awk '$1 == "50%" {print $2}' "$1"); p99=$(awk '$1 == "99%" {print $2}' "$1")
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}' "$1")
  echo "$(to_ms "$p50") $(to_ms "$p99") $rps $errors"
}

GW_URL="http://127.0.0.1:$GATEWAY_PORT$INVOKE"
DIRECT_URL="http://127.0.0.1:$FUNCTION_PORT$INVOKE"
# The floor of any proxy hop: a bare Reactor Netty proxy (no logic) in front of function-service.
BARE_URL="http://127.0.0.1:$BARE_PORT$INVOKE"
exec 9>"$LOCK"
echo "== waiting for $LOCK (quiet cores)"
flock 9
echo "== $(nproc) cores, load:$(uptime | sed 's/.*load average://'); warm-up $WARMUP each"
run_wrk "$CONNECTIONS" "$WARMUP" "$GW_URL" >/dev/null
run_wrk "$CONNECTIONS" "$WARMUP" "$DIRECT_URL" >/dev/null
run_wrk "$CONNECTIONS" "$WARMUP" "$BARE_URL" >/dev/null
echo "== measuring: $CONNECTIONS connections and 1 connection, $DURATION each"
run_wrk "$CONNECTIONS" "$DURATION" "$GW_URL" >"$WORK/gateway.txt"
run_wrk "$CONNECTIONS" "$DURATION" "$DIRECT_URL" >"$WORK/direct.txt"
run_wrk "$CONNECTIONS" "$DURATION" "$BARE_URL" >"$WORK/bare.txt"
run_wrk "$TARGET_CONNECTIONS" "$DURATION" "$GW_URL" >"$WORK/gateway-target.txt"
run_wrk 1 "$DURATION" "$GW_URL" >"$WORK/gateway-1.txt"
run_wrk 1 "$DURATION" "$DIRECT_URL" >"$WORK/direct-1.txt"
echo "== container per invoke: $CONTAINER_RUNS one after the other, then $CONTAINER_RUNS, $CONTAINER_PARALLEL at once"
: >"$WORK/podman-ms.txt"
start_all=$(date +%s%N)
for _ in $(seq 1 "$CONTAINER_RUNS"); do
  t0=$(date +%s%N); run_container; echo $(( ($(date +%s%N) - t0) / 1000 )) >>"$WORK/podman-ms.txt"
done
sequential_ns=$(( $(date +%s%N) - start_all ))
export -f run_container; export IMAGE
start_all=$(date +%s%N)
seq 1 "$CONTAINER_RUNS" | xargs -P "$CONTAINER_PARALLEL" -I{} bash -c run_container
parallel_ns=$(( $(date +%s%N) - start_all ))
echo "== load after:$(uptime | sed 's/.*load average://')"
flock -u 9

read -r g50 g99 grps gerr <<<"$(summary "$WORK/gateway.txt")"
read -r d50 d99 drps derr <<<"$(summary "$WORK/direct.txt")"
read -r b50 b99 brps berr <<<"$(summary "$WORK/bare.txt")"
read -r gt50 gt99 gtrps _ <<<"$(summary "$WORK/gateway-target.txt")"
read -r g1_50 g1_99 g1_rps _ <<<"$(summary "$WORK/gateway-1.txt")"
read -r d1_50 d1_99 d1_rps _ <<<"$(summary "$WORK/direct-1.txt")"
read -r c50 c99 <<<"$(sort -n "$WORK/podman-ms.txt" | awk '{v[NR] = $1} END {
  printf "%.1f %.1f", v[int((NR + 1) / 2)] / 1000, v[int(NR * 0.99 + 0.999)] / 1000 }')"
c_rps=$(awk -v n="$CONTAINER_RUNS" -v ns="$sequential_ns" 'BEGIN {printf "%.2f", n / (ns / 1e9)}')
cp_rps=$(awk -v n="$CONTAINER_RUNS" -v ns="$parallel_ns" 'BEGIN {printf "%.2f", n / (ns / 1e9)}')

printf '\n%-44s %10s %10s %10s %7s\n' "RequestResponse, trivial python handler" "p50 ms" "p99 ms" "invokes/s" "errors"
printf '%-44s %10s %10s %10s %7s\n' "through the gateway, $CONNECTIONS conn." "$g50" "$g99" "$grps" "$gerr"
printf '%-44s %10s %10s %10s %7s\n' "function-service direct, $CONNECTIONS conn." "$d50" "$d99" "$drps" "$derr"
printf '%-44s %10s %10s %10s %7s\n' "floor: bare proxy, $CONNECTIONS conn." "$b50" "$b99" "$brps" "$berr"
printf '%-44s %10s %10s %10s\n' "through the gateway, $TARGET_CONNECTIONS conn." "$gt50" "$gt99" "$gtrps"
printf '%-44s %10s %10s %10s\n' "through the gateway, 1 conn." "$g1_50" "$g1_99" "$g1_rps"
printf '%-44s %10s %10s %10s\n' "function-service direct, 1 conn." "$d1_50" "$d1_99" "$d1_rps"
printf '%-44s %10s %10s %10s\n' "podman run --rm per invoke, 1 at a time" "$c50" "$c99" "$c_rps"
printf '%-44s %10s %10s %10s\n' "podman run --rm per invoke, $CONTAINER_PARALLEL at once" "" "" "$cp_rps"
awk -v gt50="$gt50" -v gtrps="$gtrps" -v tc="$TARGET_CONNECTIONS" -v g1="$g1_50" -v grps="$grps" -v drps="$drps" -v brps="$brps" -v c50="$c50" -v crps="$c_rps" -v cprps="$cp_rps" 'BEGIN {
  printf "\nwarm invoke through the gateway vs a container per invoke: p50 %.0fx lower (1 conn.), %.0fx the invokes/s (vs %s at once)\n", c50 / g1, grps / (cprps > crps ? cprps : crps), (cprps > crps ? "several" : "one")
  printf "the gateway keeps %.0f %% of direct invokes/s; a bare proxy (the floor of any hop) keeps %.0f %%, the gateway %.0f %% of the bare proxy\n", 100 * grps / drps, 100 * brps / drps, 100 * grps / brps
  printf "target (p50 < 10 ms and >= 500 invokes/s through the gateway, both in the %s-connection run): %s\n", tc, (gt50 < 10 && gtrps >= 500) ? "MET" : "MISSED" }'
