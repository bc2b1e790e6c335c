#!/usr/bin/env bash
# Gateway overhead benchmark: the same trivial upstream called directly, through a bare Netty
# proxy, through a stock Spring Cloud Gateway (the peer) and through the Cumulus gateway with an
# authenticated (Bearer JWT) request, one after the other in one run, same wrk settings.
# Targets (issue 21): the Cumulus gateway keeps >= 80 % of stock SCG's throughput, p99 under load
# <= 1.5x stock SCG's, and adds < 1 ms at p50 alone.
#
#   bench/gateway/run.sh            # build the gateway jar if missing, then measure
#   BUILD=1 bench/gateway/run.sh    # rebuild the jar first
#   DURATION=30s CONNECTIONS=64 THREADS=2 bench/gateway/run.sh
#   PROFILE=1 bench/gateway/run.sh  # also records the gateway with JFR during its run, prints hot methods
#
# Needs: wrk (apt-get install -y wrk), a JDK >= 21, PostgreSQL and Redis on their usual local ports
# (the gateway boots with its database; rate limits count in Redis, limits raised so nothing is
# throttled). Maven calls and measurements hold /tmp/cumulus-mvn.lock: quiet cores only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/gateway"
WORK="${WORK:-/tmp/cumulus-bench-gateway}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-15s}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
UPSTREAM_PORT="${UPSTREAM_PORT:-18090}"
JWKS_PORT="${JWKS_PORT:-18091}"
GATEWAY_PORT="${GATEWAY_PORT:-18080}"
BARE_PROXY_PORT="${BARE_PROXY_PORT:-18092}"
STOCK_PORT="${STOCK_PORT:-18093}"
TENANT="bench-tenant"
LOCK=/tmp/cumulus-mvn.lock

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

JAR="$ROOT/gateway/target/gateway-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$JAR" || "${BUILD:-0}" == 1 ]]; then
  echo "== building the gateway jar"
  (cd "$ROOT" && flock "$LOCK" ./mvnw -B -o -q -pl gateway package -DskipTests)
fi

rm -rf "$WORK" && mkdir -p "$WORK"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/gateway" >/dev/null

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_http() { # url, name
  for _ in $(seq 1 240); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not come up: see $WORK/*.log" >&2; exit 1
}

echo "== JDK: $JAVA_HOME"
echo "== starting upstream (:$UPSTREAM_PORT), key server (:$JWKS_PORT), bare proxy (:$BARE_PROXY_PORT)"
"$JAVA" -Xmx256m -cp "$WORK/gateway/lib/*" "$HERE/BenchServers.java" \
  "$UPSTREAM_PORT" "$JWKS_PORT" "$WORK/token" "$TENANT" "$BARE_PROXY_PORT" >"$WORK/servers.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" "key server"
wait_http "http://127.0.0.1:$UPSTREAM_PORT/" "upstream"
wait_http "http://127.0.0.1:$BARE_PROXY_PORT/" "bare proxy"
TOKEN="$(cat "$WORK/token")"

# The peer runs on the gateway's own libraries minus what Cumulus adds (its platform, Spring
# Security, Resilience4j, Redis, actuator, springdoc): what spring-cloud-starter-gateway brings.
STOCK_CP=$(ls "$WORK"/gateway/lib/*.jar | grep -vE '/(platform-|spring-security|spring-boot-security|resilience4j|spring-cloud-(starter-)?circuitbreaker|spring-boot-data-redis|spring-data-redis|lettuce|redis-authx|spring-boot-actuator|micrometer-registry|springdoc|swagger)' | tr '\n' ':')
echo "== starting stock Spring Cloud Gateway (:$STOCK_PORT), one route, no filters"
"$JAVA" -Xms512m -Xmx512m -cp "$STOCK_CP" "$HERE/StockGateway.java" --server.port="$STOCK_PORT" \
  --spring.main.banner-mode=off \
  '--spring.cloud.gateway.server.webflux.routes[0].id=upstream' \
  "--spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:$UPSTREAM_PORT" \
  '--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**' >"$WORK/stock.log" 2>&1 &
PIDS+=($!)

echo "== starting the gateway (:$GATEWAY_PORT)"
UP="http://127.0.0.1:$UPSTREAM_PORT"
env CUMULUS_GATEWAY_PORT="$GATEWAY_PORT" CUMULUS_GATEWAY_MANAGEMENT_PORT="$((GATEWAY_PORT + 1000))" \
  CUMULUS_JWKS_URI="http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" \
  CUMULUS_GATEWAY_DB=cumulus_gateway_bench \
  CUMULUS_AUTH_URL="$UP" CUMULUS_STORAGE_URL="$UP" CUMULUS_DATABASE_URL="$UP" CUMULUS_QUEUE_URL="$UP" \
  CUMULUS_FUNCTION_URL="$UP" CUMULUS_KAFKA_SERVICE_URL="$UP" CUMULUS_UPDATER_URL="$UP" \
  CUMULUS_COMMERCE_URL="$UP" CUMULUS_INTEGRATION_URL="$UP" \
  "$JAVA" -Xms512m -Xmx512m ${GATEWAY_JAVA_OPTS:-} -jar "$WORK/gateway/gateway-0.1.0-SNAPSHOT.jar" \
  --cumulus.gateway.rate-limits.plans.enterprise=1000000000/1h \
  --cumulus.gateway.rate-limits.key-prefix="bench-$$:" \
  ${GATEWAY_ARGS:-} >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
GATEWAY_PID=$!
wait_http "http://127.0.0.1:$((GATEWAY_PORT + 1000))/actuator/health/liveness" "gateway"

PATH_UNDER_TEST="/api/s3storage/$TENANT/svc-1/objects"
DIRECT="http://127.0.0.1:$UPSTREAM_PORT$PATH_UNDER_TEST"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST"
BARE="http://127.0.0.1:$BARE_PROXY_PORT$PATH_UNDER_TEST"
STOCK="http://127.0.0.1:$STOCK_PORT$PATH_UNDER_TEST"
wait_http "$STOCK" "stock gateway"
AUTH="Authorization: Bearer $TOKEN"

status=$(curl -s -o "$WORK/check.json" -w '%{http_code}' -H "$AUTH" -D "$WORK/check.headers" "$GATEWAY")
if [[ "$status" != 200 ]]; then
  echo "gateway answered $status for an authenticated request:" >&2; cat "$WORK/check.json" >&2; exit 1
fi
grep -qi "^x-ratelimit-limit" "$WORK/check.headers" || echo "warning: no rate-limit headers (Redis away, or limits disabled)" >&2

run_wrk() { # url, duration
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -H "$AUTH" "$1"
}

# wrk prints latencies as 512.00us / 1.23ms / 1.01s
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%s", v }'
}
summary() { # file -> "p50 p99 rps"
  local p50 p99 rps
  p50=$(awk '$1 == "50%" {print $2}' "$1")
  p99=$(awk '$1 == "99%" {print $2}' "$1")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$1")
  echo "$(to_ms "$p50") $(to_ms "$p99") $rps"
}

# Measure with quiet cores: no Maven build may run meanwhile.
exec 9>"$LOCK"
flock 9
echo "== warm-up ($WARMUP each)"
run_wrk "$DIRECT" "$WARMUP" >/dev/null
run_wrk "$BARE" "$WARMUP" >/dev/null
run_wrk "$STOCK" "$WARMUP" >/dev/null
run_wrk "$GATEWAY" "$WARMUP" >/dev/null

echo "== measuring: $THREADS threads, $CONNECTIONS connections, $DURATION each ($(nproc) cores; load:$(uptime | sed 's/.*load average://'))"
run_wrk "$DIRECT" "$DURATION" | tee "$WORK/direct.txt" >/dev/null
run_wrk "$BARE" "$DURATION" | tee "$WORK/bare.txt" >/dev/null
run_wrk "$STOCK" "$DURATION" | tee "$WORK/stock.txt" >/dev/null
if [[ "${PROFILE:-0}" == 1 ]]; then # JFR of the gateway during its measured run
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.start name=bench settings=profile filename="$WORK/gateway.jfr" >/dev/null
fi
run_wrk "$GATEWAY" "$DURATION" | tee "$WORK/gateway.txt" >/dev/null
if [[ "${PROFILE:-0}" == 1 ]]; then
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.stop name=bench >/dev/null
fi
# Latency without queueing: one connection, one request at a time.
echo "== measuring latency alone: 1 connection, $DURATION each"
wrk -t1 -c1 -d"$DURATION" --latency -H "$AUTH" "$DIRECT" >"$WORK/direct-1.txt"
wrk -t1 -c1 -d"$DURATION" --latency -H "$AUTH" "$STOCK" >"$WORK/stock-1.txt"
wrk -t1 -c1 -d"$DURATION" --latency -H "$AUTH" "$GATEWAY" >"$WORK/gateway-1.txt"
flock -u 9

read -r d50 d99 drps <<<"$(summary "$WORK/direct.txt")"
read -r g50 g99 grps <<<"$(summary "$WORK/gateway.txt")"
read -r b50 b99 brps <<<"$(summary "$WORK/bare.txt")"
read -r s50 s99 srps <<<"$(summary "$WORK/stock.txt")"
read -r s1_50 s1_99 s1_rps <<<"$(summary "$WORK/stock-1.txt")"
read -r d1_50 d1_99 d1_rps <<<"$(summary "$WORK/direct-1.txt")"
read -r g1_50 g1_99 g1_rps <<<"$(summary "$WORK/gateway-1.txt")"
errors=$(grep -E "Non-2xx|Socket errors" "$WORK/gateway.txt" || true)

printf '\n%-40s %10s %10s %12s\n' "" "p50 (ms)" "p99 (ms)" "requests/s"
printf '%-40s %10s %10s %12s\n' "upstream direct, $CONNECTIONS conn." "$d50" "$d99" "$drps"
printf '%-40s %10s %10s %12s\n' "bare Netty proxy, $CONNECTIONS conn." "$b50" "$b99" "$brps"
printf '%-40s %10s %10s %12s\n' "stock SCG, $CONNECTIONS conn." "$s50" "$s99" "$srps"
printf '%-40s %10s %10s %12s\n' "through gateway (Bearer), $CONNECTIONS conn." "$g50" "$g99" "$grps"
printf '%-40s %10s %10s %12s\n' "upstream direct, 1 conn." "$d1_50" "$d1_99" "$d1_rps"
printf '%-40s %10s %10s %12s\n' "stock SCG, 1 conn." "$s1_50" "$s1_99" "$s1_rps"
printf '%-40s %10s %10s %12s\n' "through gateway (Bearer), 1 conn." "$g1_50" "$g1_99" "$g1_rps"
awk -v d1="$d1_50" -v g1="$g1_50" -v s1="$s1_50" -v drps="$drps" -v grps="$grps" -v brps="$brps" \
  -v srps="$srps" -v g99="$g99" -v s99="$s99" 'BEGIN {
  added1 = g1 - d1; kept = 100 * grps / srps; tail = g99 / s99
  printf "\nbare proxy keeps %.1f %% of direct, stock SCG %.1f %%, the Cumulus gateway %.1f %%\n", 100 * brps / drps, 100 * srps / drps, 100 * grps / drps
  printf "stock SCG keeps %.1f %% of the bare proxy, the Cumulus gateway %.1f %%\n", 100 * srps / brps, 100 * grps / brps
  printf "\nthroughput kept vs stock SCG: %.1f %% (target >= 80 %%)\n", kept
  printf "p99 under load vs stock SCG: %.2fx (target <= 1.5x)\n", tail
  printf "added p50 latency alone: %.3f ms (stock SCG adds %.3f ms; target < 1 ms)\n", added1, s1 - d1
  printf "verdict: %s\n", (kept >= 80 && tail <= 1.5 && added1 < 1) ? "TARGET MET" : "TARGET MISSED" }'
[[ -n "$errors" ]] && echo "gateway run reported: $errors"
echo "raw wrk output: $WORK/direct.txt $WORK/gateway.txt; gateway log: $WORK/gateway.log"
if [[ "${PROFILE:-0}" == 1 ]]; then
  echo "== hottest methods of the gateway under load ($WORK/gateway.jfr)"
  "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$WORK/gateway.jfr" | head -40
fi
