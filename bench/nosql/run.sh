#!/usr/bin/env bash
# NoSQL benchmark (issue 23): the same AWS SDK v2 DynamoDB client, same settings, one run, against
#   1. dynalite (npm, MIT: DynamoDB's API on LevelDB, here on disk), the peer,
#   2. Cumulus database-service directly (http://127.0.0.1:8083/dynamodb; durable: PostgreSQL),
#   3. Cumulus through the gateway (http://127.0.0.1:8080/dynamodb).
# Reports PutItem, GetItem and Query (100 items) calls/s with p50/p99 at 4 and 32 concurrent callers,
# then the ratios to dynalite. (DynamoDB Local is not used: its licence does not allow it here.)
#
#   bench/nosql/run.sh
#   DURATION=10 WARMUP=15 LEVELS="4 32" bench/nosql/run.sh
#   TARGETS="dynalite direct" bench/nosql/run.sh   # a subset of: dynalite direct gateway bare durable floor
#   TARGETS="dynalite bare durable floor" bench/nosql/run.sh   # the floors alone (no Cumulus stack):
#       bare: a reactor-netty server answering from memory (Bare.java), the HTTP + SDK floor;
#       durable: the same server upserting each PutItem/BatchWriteItem in PostgreSQL first;
#       floor: pgbench's barest durable upsert, the PostgreSQL floor
#   PROFILE=1 bench/nosql/run.sh   # also records database-service with JFR while direct is measured
#
# Needs: a JDK >= 21, node + npm (dynalite is installed into $WORK/npm on the first run), curl, jq,
# Maven Central (first run; -o afterwards) and, for direct/gateway, a Cumulus stack: a running
# `./cumulus up` of this work tree is used as it is; otherwise this script runs `./cumulus up` and
# `./cumulus down` at the end. Measurements hold /tmp/cumulus-mvn.lock: no Maven build runs meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/nosql"
WORK="${WORK:-/tmp/cumulus-bench-nosql}"
DYNALITE_VERSION="${DYNALITE_VERSION:-4.0.0}"
DYNALITE_PORT="${DYNALITE_PORT:-18901}"
TARGETS="${TARGETS:-dynalite direct gateway bare durable floor}"
BARE_PORT="${BARE_PORT:-18902}"
DATA_DIR="${CUMULUS_DATA_DIR:-$ROOT/.cumulus/data}"
RUN_DIR="${CUMULUS_RUN_DIR:-$ROOT/.cumulus/run}"
GW="http://127.0.0.1:${CUMULUS_GATEWAY_PORT:-8080}"
DIRECT="http://127.0.0.1:${CUMULUS_DATABASE_PORT:-8083}/dynamodb"
LOCK=/tmp/cumulus-mvn.lock
export DURATION="${DURATION:-10}" WARMUP="${WARMUP:-15}" LEVELS="${LEVELS:-4 32}"

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in curl jq node npm; do command -v "$tool" >/dev/null || { echo "$tool missing" >&2; exit 1; }; done
mkdir -p "$WORK"
rm -f "$WORK"/*.log
wants() { [[ " $TARGETS " == *" $1 "* ]]; }

# --- the client's class path (Maven Central; offline once in ~/.m2) and dynalite (npm) -----------
file="$WORK/client-classpath.txt"
if [[ ! -s "$file" || "$HERE/pom.xml" -nt "$file" ]]; then
  echo "== resolving the client class path (bench/nosql/pom.xml)"
  (cd "$ROOT" && ./mvnw -B -q -o -f bench/nosql/pom.xml dependency:build-classpath -Dmdep.outputFile="$file" >/dev/null 2>&1) ||
    (cd "$ROOT" && ./mvnw -B -q -f bench/nosql/pom.xml dependency:build-classpath -Dmdep.outputFile="$file")
fi
if wants dynalite && ! grep -q "\"version\": \"$DYNALITE_VERSION\"" \
  "$WORK/npm/node_modules/dynalite/package.json" 2>/dev/null; then
  echo "== npm install dynalite@$DYNALITE_VERSION into $WORK/npm"
  npm install --no-audit --no-fund --prefix "$WORK/npm" "dynalite@$DYNALITE_VERSION" >"$WORK/npm-install.log" 2>&1
fi

# database-service's class path (for Bare.java: its reactor-netty and Jackson), from ~/.m2
service_cp="$WORK/service-classpath.txt"
if { wants bare || wants durable; } && [[ ! -s "$service_cp" || "$ROOT/database-service/pom.xml" -nt "$service_cp" ]]; then
  echo "== resolving database-service's class path"
  (cd "$ROOT" && ./mvnw -B -q -o -pl database-service dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$service_cp" >/dev/null)
fi

# --- cleanup ------------------------------------------------------------------------------------
DYNALITE_PID=""
BARE_PID=""
STARTED_CUMULUS=0
SERVICE_ID=""
login() { # the platform admin's token (seed 003's login, tenant "default")
  curl -sS --fail-with-body -H 'Content-Type: application/json' "$GW/api/tenants/auth/" \
    -d "$(jq -nc --arg pw "$(cat "$DATA_DIR/admin-password")" '{username:"admin",password:$pw,tenant_domain:"default"}')" \
    | jq -r .data.token
}
cleanup() {
  if [[ -n "$DYNALITE_PID" ]]; then kill "$DYNALITE_PID" 2>/dev/null || true; wait "$DYNALITE_PID" 2>/dev/null || true; fi
  if [[ -n "$BARE_PID" ]]; then kill -9 "$BARE_PID" 2>/dev/null || true; wait "$BARE_PID" 2>/dev/null || true; fi
  if [[ -n "$SERVICE_ID" ]]; then # the bench instance, with its tables
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
  local f
  for f in "$RUN_DIR"/*.pid; do [[ -s "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null && return 0; done
  return 1
}
if wants direct || wants gateway; then
  if ours_running; then
    echo "== using the running Cumulus stack"
  else
    echo "== ./cumulus up (builds stale jars itself, under $LOCK)"
    STARTED_CUMULUS=1
    (cd "$ROOT" && ./cumulus up) >"$WORK/cumulus-up.log" 2>&1 || { tail -40 "$WORK/cumulus-up.log" >&2; exit 1; }
  fi
  echo "== logging in as the platform admin, creating a nosqldatabase instance"
  INSTANCE="$(curl -sS --fail-with-body -H 'Content-Type: application/json' -H "Authorization: Bearer $(login)" \
    "$GW/api/services" -d "{\"serviceName\":\"bench-$(date +%s)\",\"serviceType\":\"nosqldatabase\"}")"
  SERVICE_ID="$(jq -r .id <<<"$INSTANCE")"
  ACCESS_KEY="$(jq -r .s3Credentials.accessKeyId <<<"$INSTANCE")"
  SECRET_KEY="$(jq -r .s3Credentials.secretAccessKey <<<"$INSTANCE")"
  [[ "$ACCESS_KEY" != null ]] || { echo "POST /api/services gave no s3Credentials: $INSTANCE" >&2; exit 1; }
  echo "   instance $SERVICE_ID, access key $ACCESS_KEY"
fi

# --- dynalite on disk (LevelDB), so both sides keep what they acknowledge ------------------------
if wants dynalite; then
  rm -rf "$WORK/dynalite-data"
  echo "== starting dynalite $DYNALITE_VERSION on :$DYNALITE_PORT (LevelDB in $WORK/dynalite-data)"
  # Tables become ACTIVE at once, as Cumulus' do.
  node "$WORK/npm/node_modules/dynalite/cli.js" --port "$DYNALITE_PORT" --path "$WORK/dynalite-data" \
    --createTableMs 0 --deleteTableMs 0 >"$WORK/dynalite-server.log" 2>&1 &
  DYNALITE_PID=$!
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$DYNALITE_PORT/" && break; sleep 0.5; done
fi

# --- measure, one target after the other, under the lock ---------------------------------------
exec 9>"$LOCK"
echo "== waiting for $LOCK"
flock 9
echo "== JDK $JAVA_HOME; node $(node --version); $(nproc) cores; load:$(uptime | sed 's/.*load average://')"
echo "== callers: $LEVELS; ${DURATION}s per phase (warm-up ${WARMUP}s)"
bench() { # label endpoint access-key secret-key
  "$JAVA" -Xms256m -Xmx256m -cp "$(cat "$WORK/client-classpath.txt")" "$HERE/DynamoBench.java" "$@" 2>&1 \
    | tee "$WORK/$1.log" || true
}
wants dynalite && bench dynalite "http://127.0.0.1:$DYNALITE_PORT" bench bench
database_pid() { cat "$RUN_DIR/database-service.pid" 2>/dev/null || true; }
if wants direct && [[ "${PROFILE:-0}" == 1 && -n "$(database_pid)" ]]; then
  jcmd "$(database_pid)" JFR.start name=nosqlbench settings=profile filename="$WORK/database-service.jfr" >/dev/null
fi
wants direct && bench direct "$DIRECT" "$ACCESS_KEY" "$SECRET_KEY"
if wants direct && [[ "${PROFILE:-0}" == 1 && -n "$(database_pid)" ]]; then
  jcmd "$(database_pid)" JFR.stop name=nosqlbench >/dev/null
  echo "   JFR of database-service during direct: $WORK/database-service.jfr"
fi
wants gateway && bench gateway "$GW/dynamodb" "$ACCESS_KEY" "$SECRET_KEY"
PG_HOST="${CUMULUS_PG_HOST:-127.0.0.1}" PG_PORT="${CUMULUS_PG_PORT:-5432}" PG_USER="${CUMULUS_PG_USER:-postgres}"
pg() { PGPASSWORD="${CUMULUS_PG_PASSWORD:-}" "$@" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER"; }
bare() { # label [PostgreSQL database: durable]
  "$JAVA" -Xms512m -Xmx512m -cp "$(tr ':' '\n' <"$service_cp" | grep -v logback | paste -sd:)" \
    "$HERE/Bare.java" "$BARE_PORT" ${2:+"$PG_HOST" "$PG_PORT" "$PG_USER" "$2"} >"$WORK/$1-server.log" 2>&1 &
  BARE_PID=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/" && break; sleep 0.5; done
  bench "$1" "http://127.0.0.1:$BARE_PORT" bench bench
  kill -9 "$BARE_PID" 2>/dev/null || true; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=""
}
wants bare && bare bare
if wants durable; then
  pg psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS nosql_bench_bare" -c "CREATE DATABASE nosql_bench_bare"
  bare durable nosql_bench_bare
  pg psql -q -d postgres -c "DROP DATABASE IF EXISTS nosql_bench_bare" || true
fi
# The floor: what PostgreSQL alone does with the barest durable PutItem, one upsert of a ~200-byte
# JSONB item per transaction (synchronous commit, a connection per caller), by pgbench (C, prepared
# statements): no HTTP, no service, no index or event rows. A service that acknowledges each write
# only after its commit cannot pass it.
if wants floor; then
  command -v pgbench >/dev/null || { echo "pgbench missing (apt-get install postgresql-client)" >&2; exit 1; }
  pg psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS nosql_bench_floor" -c "CREATE DATABASE nosql_bench_floor"
  pg psql -q -v ON_ERROR_STOP=1 -d nosql_bench_floor \
    -c "CREATE TABLE items (hk text, rk numeric, item jsonb NOT NULL, PRIMARY KEY (hk, rk))"
  cat >"$WORK/floor.sql" <<'SQL'
\set k random(1, 2000000000)
INSERT INTO items VALUES ('p' || :k, :k, '{"pk":{"S":"p"},"sk":{"N":"1"},"payload":{"S":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}') ON CONFLICT (hk, rk) DO UPDATE SET item = excluded.item;
SQL
  echo "== floor: pgbench, one durable upsert per transaction"
  {
    printf 'RESULT floor'
    for level in $LEVELS; do
      out="$(pg pgbench -n -M prepared -f "$WORK/floor.sql" -c "$level" -j 2 -T "$DURATION" nosql_bench_floor 2>&1)"
      tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | cut -d. -f1)"
      lat="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")"
      # put only: the other operations have no floor here (0 = not measured)
      printf ' %s %s -' "${tps:-0}" "${lat:-0}"
      for _ in 1 2 3 4; do printf ' 0 - -'; done
    done
    printf ' 0\n'
  } | tee "$WORK/floor.log"
  pg psql -q -d postgres -c "DROP DATABASE IF EXISTS nosql_bench_floor" || true
fi
echo "== load after:$(uptime | sed 's/.*load average://')"
flock -u 9

# --- table and ratios ---------------------------------------------------------------------------
for t in dynalite direct gateway bare durable floor; do
  wants "$t" || continue
  r="$(grep -h '^RESULT ' "$WORK/$t.log" 2>/dev/null | tail -1 || true)"
  if [[ -n "$r" ]]; then echo "$r"; else echo "RESULT $t FAILED"; fi
done | awk -v levels="$LEVELS" '
  BEGIN { split(levels, lv, " "); nop = split("put get update query(100) batch(25)", op, " ") }
  $3 == "FAILED" { print $2 ": FAILED (see its log)"; next }
  { t = $2; for (i = 3; i <= NF; i++) v[t, i - 2] = $i; seen[t] = 1; order[++n] = t }
  END {
    printf "\n%-9s %7s %-10s %9s %8s %8s\n", "target", "callers", "operation", "calls/s", "p50 ms", "p99 ms"
    for (k = 1; k <= n; k++) for (l = 1; l <= 2; l++) for (o = 1; o <= nop; o++) {
      b = 3 * nop * (l - 1) + 3 * (o - 1)
      printf "%-9s %7s %-10s %9s %8s %8s\n", order[k], lv[l], op[o], v[order[k], b + 1], v[order[k], b + 2], v[order[k], b + 3]
    }
    for (k = 1; k <= n; k++) printf "%s errors: %s\n", order[k], v[order[k], 6 * nop + 1]
    if (!seen["dynalite"]) exit
    for (k = 1; k <= n; k++) {
      t = order[k]; if (t == "dynalite") continue
      printf "\n%s / dynalite (calls/s):", t
      for (l = 1; l <= 2; l++) for (o = 1; o <= nop; o++) {
        b = 3 * nop * (l - 1) + 3 * (o - 1) + 1
        printf " %s@%s %.2fx", op[o], lv[l], (v["dynalite", b] > 0 ? v[t, b] / v["dynalite", b] : 0)
      }
    }
    printf "\n"
  }'
echo "logs: $WORK/<target>.log; dynalite: $WORK/dynalite-server.log"
