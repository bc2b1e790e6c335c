#!/usr/bin/env bash
# Commerce benchmark (issue 29): orders created per second, seed 004's POST /api/orders with its
# example body, at CONNECTIONS (16) concurrent callers, with the built-in Stripe, SendGrid and
# Sheets sandboxes, in one run:
#   1. through the gateway (Bearer JWT, the family's per-IP rate limit raised so nothing is
#      throttled): the order row and its outbox event in one transaction, the Stripe PaymentIntent
#      (stripe-java over HTTP, idempotency key, circuit breaker), the saga step recorded, 201;
#      meanwhile the outbox relay publishes to Kafka, the e-mail and sheet consumers run;
#   2. the same directly against commerce-service (the gateway's share);
#   3. the peer: a bare INSERT of the same order row into the same table of the same database
#      (pgbench, CONNECTIONS clients, the same duration): what an order costs without the saga.
# Prints orders/s, p50 and p99 of each, and the ratios.
#
#   bench/commerce/run.sh
#   DURATION=30 CONNECTIONS=16 bench/commerce/run.sh
#   BUILD=1 bench/commerce/run.sh     # rebuild the jars first
#
# Needs: a JDK >= 21, curl, wrk, pgbench (postgresql-client), PostgreSQL and Redis on their usual
# local ports (CUMULUS_PG_*, CUMULUS_REDIS_*). Starts its own Kafka (devstack), commerce-service,
# gateway and key server on ports 18300-18399 and stops them at the end; measurements hold
# /tmp/cumulus-mvn.lock, so no Maven build runs meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/commerce"
WORK="${WORK:-/tmp/cumulus-bench-commerce}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-15}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
GATEWAY_PORT="${GATEWAY_PORT:-18300}"
COMMERCE_PORT="${COMMERCE_PORT:-18302}"
JWKS_PORT="${JWKS_PORT:-18303}"
UNUSED_UPSTREAM_PORT="${UNUSED_UPSTREAM_PORT:-18304}"
UNUSED_PROXY_PORT="${UNUSED_PROXY_PORT:-18305}"
KAFKA_PORT="${KAFKA_PORT:-18391}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-18392}"
PG_HOST="${CUMULUS_PG_HOST:-127.0.0.1}"
PG_PORT="${CUMULUS_PG_PORT:-5432}"
PG_USER="${CUMULUS_PG_USER:-postgres}"
DB="cumulus_commerce_bench"
TENANT="bench-tenant"
LOCK=/tmp/cumulus-mvn.lock
VERSION=0.1.0-SNAPSHOT

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in curl wrk pgbench psql; do
  command -v "$tool" >/dev/null || { echo "$tool missing (apt-get install -y wrk postgresql-client curl)" >&2; exit 1; }
done

jar() { echo "$ROOT/$1/target/$1-$VERSION.jar"; }
missing=()
for module in devstack commerce-service gateway; do
  [[ -f "$(jar "$module")" && "${BUILD:-0}" != 1 ]] || missing+=("$module")
done
if ((${#missing[@]} > 0)); then
  list=$(IFS=,; echo "${missing[*]}")
  echo "== building $list"
  (cd "$ROOT" && flock "$LOCK" ./mvnw -B -o -q -pl "$list" -am package -DskipTests -Dspotless.check.skip=true)
fi

rm -rf "$WORK" && mkdir -p "$WORK/run" "$WORK/data"
# Copies: a build during the run may replace the jars under target/.
"$JAVA" -Djarmode=tools -jar "$(jar gateway)" extract --destination "$WORK/gateway" >/dev/null
cp "$(jar devstack)" "$WORK/devstack.jar"
cp "$(jar commerce-service)" "$WORK/commerce-service.jar"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$DB" 2>/dev/null || true
}
trap cleanup EXIT

wait_http() { # url, name
  for _ in $(seq 1 360); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not come up: see $WORK/*.log" >&2; exit 1
}

dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$DB"

echo "== JDK: $JAVA_HOME"
echo "== starting Kafka (devstack, :$KAFKA_PORT) and the key server (:$JWKS_PORT)"
env CUMULUS_DATA_DIR="$WORK/data" CUMULUS_RUN_DIR="$WORK/run" \
  CUMULUS_KAFKA_BROKER_PORT="$KAFKA_PORT" CUMULUS_KAFKA_CONTROLLER_PORT="$KAFKA_CONTROLLER_PORT" \
  CUMULUS_KAFKA_TENANT_PORT=0 \
  "$JAVA" -Xmx384m -jar "$WORK/devstack.jar" >"$WORK/devstack.log" 2>&1 &
PIDS+=($!)
# The gateway benchmark's key server signs one RS256 token for $TENANT (its upstream and bare
# proxy are not used here).
"$JAVA" -Xmx128m -cp "$WORK/gateway/lib/*" "$ROOT/bench/gateway/BenchServers.java" \
  "$UNUSED_UPSTREAM_PORT" "$JWKS_PORT" "$WORK/token" "$TENANT" "$UNUSED_PROXY_PORT" >"$WORK/keys.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do [[ -f "$WORK/run/devstack.env" ]] && break; sleep 0.5; done
[[ -f "$WORK/run/devstack.env" ]] || { echo "devstack not ready: $WORK/devstack.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" "key server"
TOKEN="$(cat "$WORK/token")"

COMMON=(CUMULUS_PG_HOST="$PG_HOST" CUMULUS_PG_PORT="$PG_PORT" CUMULUS_PG_USER="$PG_USER"
  CUMULUS_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
  CUMULUS_JWKS_URI="http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" CUMULUS_LOG_FORMAT=text)
echo "== starting commerce-service (:$COMMERCE_PORT, sandboxes) and the gateway (:$GATEWAY_PORT)"
env "${COMMON[@]}" CUMULUS_COMMERCE_PORT="$COMMERCE_PORT" CUMULUS_COMMERCE_DB="$DB" \
  "$JAVA" -Xms512m -Xmx512m -jar "$WORK/commerce-service.jar" >"$WORK/commerce.log" 2>&1 &
PIDS+=($!)
env "${COMMON[@]}" CUMULUS_GATEWAY_PORT="$GATEWAY_PORT" CUMULUS_GATEWAY_MANAGEMENT_PORT="$((GATEWAY_PORT + 1))" \
  CUMULUS_GATEWAY_DB=cumulus_gateway_bench CUMULUS_COMMERCE_URL="http://127.0.0.1:$COMMERCE_PORT" \
  "$JAVA" -Xms512m -Xmx512m -jar "$WORK/gateway/gateway-$VERSION.jar" \
  --cumulus.gateway.rate-limits.cloud-integration=1000000000/15m \
  --cumulus.gateway.rate-limits.key-prefix="bench-commerce-$$:" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$COMMERCE_PORT/actuator/health/readiness" "commerce-service"
wait_http "http://127.0.0.1:$((GATEWAY_PORT + 1))/actuator/health/liveness" "gateway"

GATEWAY="http://127.0.0.1:$GATEWAY_PORT/api/orders"
DIRECT="http://127.0.0.1:$COMMERCE_PORT/api/orders"
AUTH="Authorization: Bearer $TOKEN"
for url in "$GATEWAY" "$DIRECT"; do
  status=$(curl -s -o "$WORK/check.json" -w '%{http_code}' -H "$AUTH" -H 'Content-Type: application/json' \
    --data @"$HERE/order.json" "$url")
  if [[ "$status" != 201 ]]; then
    echo "$url answered $status:" >&2; cat "$WORK/check.json" >&2; exit 1
  fi
done

# The bare peer: the same row (as the API stores it, items and addresses as jsonb) into the same
# table, with its indexes and trigger, over CONNECTIONS connections.
cat >"$WORK/insert.sql" <<'SQL'
INSERT INTO orders (id, tenant_id, customer_id, customer_email, customer_name, items, total_minor,
  currency, shipping_address, billing_address, status, payment_status, saga_step, saga_next_at)
VALUES (gen_random_uuid(), 'bench-bare', 'cust_abc123', 'john.doe@example.com', 'John Doe',
  '[{"id":"item_1","name":"Product A","quantity":2,"priceMinor":2999},{"id":"item_2","name":"Product B","quantity":1,"priceMinor":4999}]',
  10997, 'usd',
  '{"street":"123 Main St","city":"New York","state":"NY","zipCode":"10001","country":"USA"}',
  '{"street":"123 Main St","city":"New York","state":"NY","zipCode":"10001","country":"USA"}',
  'pending', 'pending', 'awaiting_payment', clock_timestamp());
SQL

run_wrk() { # url, seconds
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -H "$AUTH" -s "$HERE/post-order.lua" "$1"
}
to_ms() { # wrk prints 512.00us / 1.23ms / 1.01s
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "%s", v }'
}
wrk_summary() { # file -> "rps p50 p99 non2xx"
  local p50 p99 rps bad
  p50=$(awk '$1 == "50%" {print $2}' "$1")
  p99=$(awk '$1 == "99%" {print $2}' "$1")
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1")
  bad=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$1")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") ${bad:-0}"
}
pgbench_summary() { # log dir -> "tps p50 p99"; per-transaction logs: latency (us) is column 3
  local tps
  tps=$(awk '/^tps = / {printf "%.0f", $3}' "$WORK/pgbench.txt")
  cat "$WORK"/pgbench_log.* | awk '{print $3}' | sort -n |
    awk -v tps="$tps" '{v[NR] = $1} END {
      printf "%s %.2f %.2f\n", tps, v[int(NR * 0.50)] / 1000, v[int(NR * 0.99)] / 1000 }'
}

# Measure with quiet cores: no Maven build may run meanwhile.
exec 9>"$LOCK"
flock 9
echo "== warm-up: ${WARMUP}s through the gateway, ${WARMUP}s directly"
run_wrk "$GATEWAY" "$WARMUP" >"$WORK/warmup-gateway.txt"
run_wrk "$DIRECT" "$WARMUP" >"$WORK/warmup-direct.txt"
echo "== measuring ${DURATION}s each, $CONNECTIONS connections"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
run_wrk "$GATEWAY" "$DURATION" >"$WORK/gateway.txt"
run_wrk "$DIRECT" "$DURATION" >"$WORK/direct.txt"
(cd "$WORK" && pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -c "$CONNECTIONS" -j "$THREADS" \
  -T "$DURATION" -f "$WORK/insert.sql" -l --log-prefix=pgbench_log "$DB" >"$WORK/pgbench.txt" 2>&1)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
flock -u 9

read -r g_rps g_p50 g_p99 g_bad < <(wrk_summary "$WORK/gateway.txt")
read -r d_rps d_p50 d_p99 d_bad < <(wrk_summary "$WORK/direct.txt")
read -r b_rps b_p50 b_p99 < <(pgbench_summary)
orders=$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -tAc \
  "SELECT count(*) FILTER (WHERE payment_intent_id IS NOT NULL) || ' with a PaymentIntent, '
     || count(*) FILTER (WHERE status = 'failed') || ' failed' FROM orders WHERE tenant_id = '$TENANT'")

echo
printf '%-42s %10s %9s %9s %8s\n' "create order (c=$CONNECTIONS, ${DURATION}s)" "orders/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-42s %10s %9s %9s %8s\n' "saga through the gateway" "$g_rps" "$g_p50" "$g_p99" "$g_bad"
printf '%-42s %10s %9s %9s %8s\n' "saga direct to commerce-service" "$d_rps" "$d_p50" "$d_p99" "$d_bad"
printf '%-42s %10s %9s %9s %8s\n' "bare INSERT of the same row (pgbench)" "$b_rps" "$b_p50" "$b_p99" "-"
awk -v g="$g_rps" -v d="$d_rps" -v b="$b_rps" -v gp="$g_p50" -v bp="$b_p50" 'BEGIN {
  printf "\nsaga through the gateway = %.1f %% of bare inserts/s (direct: %.1f %%), p50 +%.2f ms over a bare insert\n",
    100 * g / b, 100 * d / b, gp - bp }'
echo "orders of the run: $orders"
# Other processes (not Maven: the lock keeps builds out) share the cores: say how busy they were.
echo "load average before / after measuring: $LOAD_BEFORE / $LOAD_AFTER ($(nproc) cores)"
echo "raw output: $WORK/{gateway,direct,pgbench}.txt, logs: $WORK/*.log"
