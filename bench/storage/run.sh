#!/usr/bin/env bash
# Storage benchmark (issue 5): the same AWS SDK v2 client, same settings, one run, against
#   1. S3Mock (com.adobe.testing:s3mock, from Maven Central), the reference,
#   2. Cumulus storage-service directly (http://127.0.0.1:8082/s3),
#   3. Cumulus through the gateway (http://127.0.0.1:8080/s3).
# Reports ops/s for 4 KiB PUT and GET, MB/s (10^6 bytes/s) for 64 MiB PUT (the SDK's PutObject, and
# PUT through presigned URLs: unsigned payload) and GET.
# Targets: small objects >= 5x S3Mock; 64 MiB GET >= 1 GB/s and PUT >= 500 MB/s direct (judged on
# the presigned PUT: over plain HTTP the SDK hashes the whole body on the client before sending).
#
#   bench/storage/run.sh
#   THREADS=16 DURATION=15 WARMUP=45 BIG_COUNT=8 BIG_THREADS=1 bench/storage/run.sh
#   TARGETS="direct" bench/storage/run.sh        # a subset of: s3mock floor direct gateway ceiling
#   ROUNDS=3 bench/storage/run.sh                # every target three times, interleaved
#
# "floor" measures FloorServer.java: the least work a durable PUT needs (receive, write, MD5, fsync,
# rename; no HTTP framework, signature, database or events), what the machine allows large
# objects at that minute; the verdict shows Cumulus's large PUT as a share of it.
# "ceiling" (not run by default) measures the client against ClientCeiling.java, an in-memory
# HTTP server that does nothing but keep the bytes: what the client leaves of the two cores.
#
# Needs: a JDK >= 21, curl, jq, Maven Central (first run; -o afterwards) and a Cumulus stack:
# a running `./cumulus up` of this work tree is used as it is; otherwise this script runs
# `./cumulus up` (which builds stale jars itself) and `./cumulus down` at the end. Measurements
# hold /tmp/cumulus-mvn.lock: no Maven build runs meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/storage"
WORK="${WORK:-/tmp/cumulus-bench-storage}"
S3MOCK_VERSION="${S3MOCK_VERSION:-5.2.0}"
S3MOCK_PORT="${S3MOCK_PORT:-19090}"
S3MOCK_HTTPS_PORT="${S3MOCK_HTTPS_PORT:-19191}"
CEILING_PORT="${CEILING_PORT:-19099}"
FLOOR_PORT="${FLOOR_PORT:-19098}"
# The heap ./cumulus gives storage-service (SERVICE_HEAP in ./cumulus), for S3Mock too.
HEAP="${CUMULUS_SERVICE_HEAP:-128m}"
TARGETS="${TARGETS:-s3mock floor direct gateway}"
ROUNDS="${ROUNDS:-1}" # every target measured this many times, interleaved; ratios from the median round
DATA_DIR="${CUMULUS_DATA_DIR:-$ROOT/.cumulus/data}"
FLOOR_DATA="$DATA_DIR/bench-floor" # on the disk storage-service writes to
RUN_DIR="${CUMULUS_RUN_DIR:-$ROOT/.cumulus/run}"
GW="http://127.0.0.1:${CUMULUS_GATEWAY_PORT:-8080}"
DIRECT_S3="http://127.0.0.1:${CUMULUS_STORAGE_PORT:-8082}/s3"
GATEWAY_S3="$GW/s3"
SETTLE="${SETTLE:-120}" # s at most to wait, before measuring, for the cores to be quiet
SETTLE_IDLE="${SETTLE_IDLE:-75}" # quiet: this % of the CPUs idle over 5 s (an idle stack leaves ~85)
FOREIGN_WAIT="${FOREIGN_WAIT:-3600}" # s to wait for another tree's ./cumulus (a CI run) to end
LOCK="${CUMULUS_BUILD_LOCK:-/tmp/cumulus-mvn.lock}" # a caller that holds it already names another
export THREADS="${THREADS:-16}" DURATION="${DURATION:-15}" WARMUP="${WARMUP:-45}"
export BIG_COUNT="${BIG_COUNT:-8}" BIG_MIB="${BIG_MIB:-64}" BIG_THREADS="${BIG_THREADS:-1}"
export SMALL_KIB="${SMALL_KIB:-4}"

# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
JAVA="$JAVA_HOME/bin/java"
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y $tool" >&2; exit 1; }; done

mkdir -p "$WORK"
rm -rf "$WORK/s3mock-data" "$WORK"/*.log

# --- client class path and S3Mock's jar (Maven Central; offline once they are in ~/.m2) --------
mvn_quiet() { # tries offline first, then online
  (cd "$ROOT" && ./mvnw -B -q -o "$@" >/dev/null 2>&1) || (cd "$ROOT" && ./mvnw -B -q "$@")
}
CLASSPATH_FILE="$WORK/classpath.txt"
if [[ ! -s "$CLASSPATH_FILE" || "$HERE/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
  echo "== resolving the client class path (bench/storage/pom.xml)"
  mvn_quiet -f bench/storage/pom.xml dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
fi
S3MOCK_JAR="$WORK/s3mock-$S3MOCK_VERSION-exec.jar"
if [[ ! -s "$S3MOCK_JAR" ]]; then
  echo "== fetching S3Mock $S3MOCK_VERSION (com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec)"
  mvn_quiet -f bench/storage/pom.xml dependency:copy \
    -Dartifact="com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec" -DoutputDirectory="$WORK"
fi

# --- cleanup -----------------------------------------------------------------------------------
S3MOCK_PID=""
CEILING_PID=""
FLOOR_PID=""
STARTED_CUMULUS=0
SERVICE_ID=""
login() { # the platform admin's token (seed 003's login, tenant "default")
  local pw
  pw="$(cat "$DATA_DIR/admin-password")"
  curl -sS --fail-with-body -H 'Content-Type: application/json' "$GW/api/tenants/auth/" \
    -d "$(jq -nc --arg pw "$pw" '{username:"admin",password:$pw,tenant_domain:"default"}')" | jq -r .data.token
}
cleanup_servers() { # S3Mock, FloorServer and ClientCeiling, when this script started them
  local pid
  for pid in "$S3MOCK_PID" "$FLOOR_PID" "$CEILING_PID"; do
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  S3MOCK_PID=""; FLOOR_PID=""; CEILING_PID=""
  rm -rf "$FLOOR_DATA"
}
cleanup() {
  cleanup_servers
  rm -rf "$WORK/s3mock-data"
  if [[ -n "$SERVICE_ID" ]]; then # the bench instance, with its buckets and objects
    TOKEN="$(login 2>/dev/null || true)" # a fresh one: the first may have expired meanwhile
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" \
      "$GW/api/services/$SERVICE_ID" || true)" == 2* ]]; then
      sleep 3 # storage-service removes the files when the service.deleted event arrives
    else
      echo "warning: could not delete the bench instance $SERVICE_ID (tenant default): delete it by hand" >&2
    fi
  fi
  if ((STARTED_CUMULUS)); then
    echo "== ./cumulus down (this script started it)"
    (cd "$ROOT" && ./cumulus down) || true
  fi
}
trap cleanup EXIT

wait_http() { # url, name, log
  for _ in $(seq 1 240); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not come up: see $3" >&2; exit 1
}

s3bench() { # the benchmark client, with the same JVM settings for every run
  "$JAVA" -Xms768m -Xmx768m -cp "$(cat "$CLASSPATH_FILE")" "$HERE/S3Bench.java" "$@"
}
run_bench() { # round label endpoint access-key secret-key; a failed run shows as FAILED in the table
  local round="$1"; shift
  s3bench "$@" 2>&1 \
    | tee "$WORK/$1.round-$round.log" || true
}

# Percent of the CPUs left idle over the next 5 s (/proc/stat). Not the load average: on this kind
# of guest it stays at 4-14 while the cores are 80 % idle (threads blocked in I/O count too).
idle_percent() {
  local a b
  a=($(head -1 /proc/stat)); sleep 5; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * idle / total : 100 ))
}

settle() { # freshly started JVMs compile and load for a while: let the cores get quiet first
  local waited=0 idle
  while :; do
    idle="$(idle_percent)"; waited=$((waited + 5))
    ((idle >= SETTLE_IDLE)) && { echo "== cores ${idle} % idle: measuring"; return; }
    ((waited >= SETTLE)) && { echo "== cores only ${idle} % idle after ${SETTLE}s: measuring anyway"; return; }
    ((waited % 30 == 0)) && echo "== waiting for the cores to be ${SETTLE_IDLE} % idle (now ${idle} %, up to ${SETTLE}s)"
  done
}

wants() { [[ " $TARGETS " == *" $1 "* ]]; }

# --- Cumulus: this work tree's stack, started here when it is not running ----------------------
ours_running() { # this tree's ./cumulus up has pids recorded that are alive
  local file
  for file in "$RUN_DIR"/*.pid; do
    [[ -s "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null && return 0
  done
  return 1
}
foreign_cumulus() { # another tree's ./cumulus test|smoke|up runs (e.g. a CI run: verify, then smoke)
  local pid a1 a2 a3 rest script
  while read -r pid a1 a2 a3 rest; do
    [[ "$a1" == *bash && "$a2" == *cumulus ]] || continue
    [[ "$a3" == test || "$a3" == smoke || "$a3" == up ]] || continue
    script="$a2"
    [[ "$script" == /* ]] || script="$(readlink "/proc/$pid/cwd" 2>/dev/null)/$script"
    [[ "$(realpath -m "$script")" == "$ROOT/cumulus" ]] && continue
    return 0
  done < <(ps -eo pid=,args=)
  return 1
}
ports_busy() {
  local port
  for port in 8080 8081 8082 8083 8084 8085 8086 8087 8088 8089 9092 9093; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
  done
  return 1
}

if wants direct || wants gateway; then
  if ours_running; then
    (cd "$ROOT" && ./cumulus status >/dev/null 2>&1) || {
      echo "this tree's Cumulus runs but not every component is UP: see ./cumulus status" >&2; exit 1; }
    echo "== using the running Cumulus stack"
  else
    # Never start a second stack over another tree's: a CI run (./cumulus test: Maven verify
    # under the lock, then a smoke stage that needs these very ports) or its leftovers.
    waited=0
    while foreign_cumulus || ports_busy; do
      ((waited % 60 == 0)) && echo "== another tree's ./cumulus (a CI run?) or its stack is busy: waiting (${waited}s of ${FOREIGN_WAIT}s)"
      ((waited >= FOREIGN_WAIT)) && { echo "still busy after ${FOREIGN_WAIT}s: ports 8080-8089/9092-9093 or another ./cumulus" >&2; exit 1; }
      sleep 5; waited=$((waited + 5))
    done
    echo "== waiting for $LOCK (a Maven build elsewhere)"
    flock "$LOCK" true
    echo "== ./cumulus up (builds stale jars itself, under the same lock)"
    STARTED_CUMULUS=1
    (cd "$ROOT" && ./cumulus up) >"$WORK/cumulus-up.log" 2>&1 || {
      tail -40 "$WORK/cumulus-up.log" >&2; exit 1; }
    tail -1 "$WORK/cumulus-up.log"
  fi

  echo "== logging in as the platform admin, creating an s3storage instance"
  TOKEN="$(login)"
  [[ -n "$TOKEN" && "$TOKEN" != null ]] || { echo "admin login failed" >&2; exit 1; }
  INSTANCE="$(curl -sS --fail-with-body -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
    "$GW/api/services" -d "{\"serviceName\":\"bench-$(date +%s)\",\"serviceType\":\"s3storage\"}")"
  SERVICE_ID="$(jq -r .id <<<"$INSTANCE")"
  ACCESS_KEY="$(jq -r .s3Credentials.accessKeyId <<<"$INSTANCE")"
  SECRET_KEY="$(jq -r .s3Credentials.secretAccessKey <<<"$INSTANCE")"
  [[ "$ACCESS_KEY" != null && "$SECRET_KEY" != null ]] || {
    echo "POST /api/services gave no s3Credentials: $INSTANCE" >&2; exit 1; }
  echo "   instance $SERVICE_ID, access key $ACCESS_KEY"
fi

# --- measure: S3Mock, Cumulus direct, Cumulus through the gateway, one after the other ---------
exec 9>"$LOCK"
echo "== waiting for $LOCK"
flock 9
settle
echo "== JDK $JAVA_HOME; $(nproc) cores; load:$(uptime | sed 's/.*load average://')"
echo "== $THREADS threads x ${DURATION}s per ${SMALL_KIB} KiB phase (warm-up ${WARMUP}s), $BIG_COUNT x $BIG_MIB MiB by $BIG_THREADS"

# This guest hands memory it frees back to its host (virtio-balloon free page reporting: the
# kernel's page_reporting module reports free 2 MiB blocks, up to max_waiting_mib of them held back
# for a while), and the host backs a page again only when it is next written. Every target writes
# its objects into new page-cache pages, so past the first GiB or so a big PUT runs at the speed of
# that first write. memory_probe measures it (dd into tmpfs: 1 GiB, which the held-back pages
# serve, then 256 MiB more) and prints both, to read a round's 64 MiB PUT figures by. Touching
# memory beforehand cannot help: freeing it again reports it again within seconds.
memory_probe() {
  local reported=/sys/module/page_reporting/parameters/reported_kib probe=/dev/shm/cumulus-bench-memprobe
  local first next total=""
  [[ -d /dev/shm ]] || return 0
  first=$(LC_ALL=C dd if=/dev/zero of="$probe.1" bs=1M count=1024 2>&1 | awk '/copied/ {print int($1 / $(NF-3) / 1e6)}')
  next=$(LC_ALL=C dd if=/dev/zero of="$probe.2" bs=1M count=256 2>&1 | awk '/copied/ {print int($1 / $(NF-3) / 1e6)}')
  rm -f "$probe.1" "$probe.2"
  [[ -r "$reported" ]] && total="; $(($(cat "$reported") / 1024)) MiB handed back to the host so far"
  echo "== memory (dd into tmpfs): first GiB ${first:-?} MB/s, the next 256 MiB ${next:-?} MB/s$total"
}
memory_probe

# The ceiling of any durable PUT: Cumulus fsyncs every object before acknowledging it (S3Mock
# does not), so large PUTs cannot beat the data disk's fsync'd write rate.
DISK_PROBE="$DATA_DIR/.bench-disk-probe"
mkdir -p "$(dirname "$DISK_PROBE")"
DISK_MBS=$(LC_ALL=C dd if=/dev/zero of="$DISK_PROBE" bs=1M count=256 conv=fsync 2>&1 \
  | awk '/copied/ {print int($1 / $(NF-3) / 1e6)}')
rm -f "$DISK_PROBE"
echo "== data disk: ${DISK_MBS:-?} MB/s for 256 MiB written and fsync'd (dd conv=fsync)"

if wants s3mock; then
  echo "== starting S3Mock $S3MOCK_VERSION on :$S3MOCK_PORT (heap $HEAP)"
  "$JAVA" -Xmx"$HEAP" ${S3MOCK_JAVA_OPTS:-} -jar "$S3MOCK_JAR" \
    --http.port="$S3MOCK_PORT" --server.port="$S3MOCK_HTTPS_PORT" \
    --com.adobe.testing.s3mock.store.root="$WORK/s3mock-data" >"$WORK/s3mock-server.log" 2>&1 &
  S3MOCK_PID=$!
  wait_http "http://127.0.0.1:$S3MOCK_PORT/" S3Mock "$WORK/s3mock-server.log"
fi
if wants floor; then
  echo "== starting FloorServer on :$FLOOR_PORT (the least work of a durable PUT, data in $FLOOR_DATA)"
  rm -rf "$FLOOR_DATA"
  "$JAVA" -Xmx1g "$HERE/FloorServer.java" "$FLOOR_PORT" "$FLOOR_DATA" >"$WORK/floor-server.log" 2>&1 &
  FLOOR_PID=$!
  wait_http "http://127.0.0.1:$FLOOR_PORT/" FloorServer "$WORK/floor-server.log"
fi
if wants ceiling; then
  echo "== starting ClientCeiling on :$CEILING_PORT (in-memory, no checks: the client's ceiling)"
  "$JAVA" -Xmx1g "$HERE/ClientCeiling.java" "$CEILING_PORT" >"$WORK/ceiling-server.log" 2>&1 &
  CEILING_PID=$!
  wait_http "http://127.0.0.1:$CEILING_PORT/" ClientCeiling "$WORK/ceiling-server.log"
fi
# Each round measures every target once, one after the other; a round's ratios compare
# measurements taken minutes apart, and the verdict takes the median round, so a few slow minutes
# of this machine (its speed drifts by tens of percent) do not decide it.
for round in $(seq 1 "$ROUNDS"); do
  ((ROUNDS > 1)) && echo "== round $round of $ROUNDS"
  ((round > 1)) && memory_probe
  if wants s3mock; then
    run_bench "$round" s3mock "http://127.0.0.1:$S3MOCK_PORT" bench-access-key bench-secret-key
  fi
  if wants floor; then
    run_bench "$round" floor "http://127.0.0.1:$FLOOR_PORT" bench-access-key bench-secret-key
  fi
  if wants ceiling; then
    run_bench "$round" ceiling "http://127.0.0.1:$CEILING_PORT" bench-access-key bench-secret-key
  fi
  if wants direct; then run_bench "$round" direct "$DIRECT_S3" "$ACCESS_KEY" "$SECRET_KEY"; fi
  if wants gateway; then run_bench "$round" gateway "$GATEWAY_S3" "$ACCESS_KEY" "$SECRET_KEY"; fi
done
# The rounds compare targets measured minutes apart. For the large PUT, also PUT to the floor and
# to Cumulus alternately, one object each in turn (S3Bench's paired mode): a share of the floor
# that the machine's drift cannot skew.
PAIRED=""
if wants floor && wants direct; then
  memory_probe
  echo "== paired presigned $BIG_MIB MiB PUTs, FloorServer and Cumulus direct in turn (${PAIRED_COUNT:-12} each)"
  BIG_COUNT="${PAIRED_COUNT:-12}" s3bench \
    floor "http://127.0.0.1:$FLOOR_PORT" bench-access-key bench-secret-key \
    direct "$DIRECT_S3" "$ACCESS_KEY" "$SECRET_KEY" 2>&1 | tee "$WORK/paired.log" || true
  PAIRED="$(grep -h '^PAIRED ' "$WORK/paired.log" | tail -1 || true)"
fi
cleanup_servers
echo "== load after:$(uptime | sed 's/.*load average://')"
flock -u 9

# --- table and verdict --------------------------------------------------------------------------
# One line per target and round: "target round put get bigput bigget errors bigputunsigned"
# (FAILED: no result).
results() {
  local round t r
  for round in $(seq 1 "$ROUNDS"); do
    for t in ceiling s3mock floor direct gateway; do
      wants "$t" || continue
      r="$(grep -h '^RESULT ' "$WORK/$t.round-$round.log" 2>/dev/null | tail -1 || true)"
      if [[ -n "$r" ]]; then echo "$t $round ${r#RESULT * }"; else echo "$t $round FAILED"; fi
    done
  done
}
results | awk -v rounds="$ROUNDS" -v small="$SMALL_KIB" -v big="$BIG_MIB" -v disk="${DISK_MBS:-}" -v paired="$PAIRED" \
  -v s3mock="S3Mock $S3MOCK_VERSION" -v work="$WORK" '
  function median(list, n,   i, j, t, a) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n == 0 ? "" : (n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2)
  }
  BEGIN {
    name["ceiling"] = "client ceiling (no server)"; name["s3mock"] = s3mock; name["floor"] = "durable floor (FloorServer)"
    name["direct"] = "Cumulus direct (:8082/s3)"; name["gateway"] = "Cumulus via gateway (/s3)"
    printf "\n%-28s %5s %16s %16s %16s %16s %16s %7s\n", "", "round", small " KiB PUT ops/s", small " KiB GET ops/s", big " MiB PUT MB/s", "presigned PUT", big " MiB GET MB/s", "errors"
  }
  {
    t = $1; r = $2
    if ($3 == "FAILED") { printf "%-28s %5s %s\n", name[t], r, "FAILED (see " work "/" t ".round-" r ".log)"; failed[t] = 1; next }
    printf "%-28s %5s %16s %16s %16s %16s %16s %7s\n", name[t], r, $3, $4, $5, $8, $6, $7
    put[t, r] = $3; get[t, r] = $4; unsigned[t, r] = $8; bput[t] = bput[t] " " $5; bget[t] = bget[t] " " $6; uput[t] = uput[t] " " $8
    errs += (t == "direct" || t == "gateway") ? $7 : 0
    seen[t] = 1
  }
  END {
    ok = 1; compared = 0
    for (k = 1; k <= 2; k++) {
      t = k == 1 ? "direct" : "gateway"
      if (!seen[t] || !seen["s3mock"]) continue
      pr = ""; gr = ""; each = ""
      for (r = 1; r <= rounds; r++) {
        if ((t, r) in put && ("s3mock", r) in put && put["s3mock", r] > 0 && get["s3mock", r] > 0) {
          pr = pr " " put[t, r] / put["s3mock", r]; gr = gr " " get[t, r] / get["s3mock", r]
          each = each sprintf(" %.1f/%.1f", put[t, r] / put["s3mock", r], get[t, r] / get["s3mock", r])
        }
      }
      if (pr == "") continue
      mp = median(pr); mg = median(gr)
      if (k == 1) print ""
      printf "small objects, %-7s / S3Mock: PUT %.1fx, GET %.1fx%s (target >= 5x): %s\n", t, mp, mg, (rounds > 1) ? " (median round; PUT/GET by round:" each ")" : "", (mp >= 5 && mg >= 5) ? "met" : "MISSED"
      if (mp < 5 || mg < 5) ok = 0
      compared = 1
    }
    if (seen["direct"]) {
      dbput = median(bput["direct"]); dbget = median(bget["direct"]); duput = median(uput["direct"])
      printf "%d MiB direct: GET %d MB/s (target >= 1000): %s; PUT %d MB/s presigned, unsigned payload (target >= 500): %s%s\n", big, dbget, dbget >= 1000 ? "met" : "MISSED", duput, duput >= 500 ? "met" : "MISSED", (rounds > 1) ? " (medians)" : ""
      printf "   (PutObject signed by the SDK over HTTP, which hashes the whole body before sending it: %d MB/s)\n", dbput
      if (seen["floor"]) {
        fr = ""; each = ""
        for (r = 1; r <= rounds; r++) if ((("direct", r) in unsigned) && (("floor", r) in unsigned) && unsigned["floor", r] > 0) {
          fr = fr " " unsigned["direct", r] / unsigned["floor", r]; each = each sprintf(" %d/%d", unsigned["direct", r], unsigned["floor", r])
        }
        if (fr != "") printf "   (the durable floor, FloorServer, took the same presigned PUTs at %d MB/s: Cumulus reaches %d %% of it%s)\n", median(uput["floor"]), 100 * median(fr), (rounds > 1) ? "; median round, direct/floor MB/s by round:" each : ""
      }
      if (split(paired, p, " ") == 5 && p[3] > 0) printf "   (paired, the floor and Cumulus in turn: floor %d MB/s, Cumulus %d MB/s = %d %% of it)\n", p[3], p[5], 100 * p[5] / p[3]
      if (disk != "") printf "   (the data disk writes %d MB/s with fsync: the presigned PUT reaches %d %% of it)\n", disk, 100 * duput / disk
      if (dbget < 1000 || duput < 500) ok = 0
      compared = 1
    }
    if (failed["direct"] || failed["gateway"] || failed["s3mock"]) { print "a run FAILED: see its log"; ok = 0 }
    if (errs > 0) { printf "Cumulus runs had %d errors: see the logs\n", errs; ok = 0 }
    if (compared) printf "verdict: %s\n", ok ? "ALL TARGETS MET" : "TARGETS MISSED"
    else print "verdict: nothing to compare (a Cumulus run or the S3Mock run is missing)"
  }'
echo "logs: $WORK/<target>.round-<n>.log (target: s3mock, floor, direct, gateway); the servers' own: $WORK/s3mock-server.log, $WORK/floor-server.log"
