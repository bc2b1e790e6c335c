#!/usr/bin/env bash
# Webhook benchmark (issue 26). Runs integration-service's WebhookBench: the service in one JVM on
# the real test infrastructure (local PostgreSQL via CUMULUS_TEST_PG_URL, the in-JVM Kafka broker),
# a local receiver, and the whole path per event: outbox commit -> relay -> Kafka -> pattern
# consumer (inbox transaction, fan-out) -> dispatcher claim -> signed POST. Prints:
#   - event-to-delivery latency p50/p99, one event at a time and in a burst (target p50 < 100 ms);
#   - deliveries/s at concurrency 32 beside the peer: the same receiver hit by 32 plain concurrent
#     POSTs from the same JVM (the ceiling), and their ratio;
#   - a fast endpoint's latency alone and beside an endpoint answering in 5 s (ratio ~1 wanted).
#
#   bench/webhooks/run.sh
#   LATENCY_EVENTS=200 THROUGHPUT_EVENTS=2000 SLOW_EVENTS=100 bench/webhooks/run.sh
#   OUTBOX_BATCH_WINDOW=5ms bench/webhooks/run.sh   # the causing outbox relay's wait (default 100ms)
#   JFR=/tmp/webhooks.jfr bench/webhooks/run.sh      # also record a JFR profile of the service JVM
#
# Needs: a JDK >= 21, PostgreSQL on 127.0.0.1:5432 (trust auth) or CUMULUS_TEST_PG_URL. Holds
# /tmp/cumulus-mvn.lock for the build and the measurement: no other Maven build runs meanwhile.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../common.sh
source "$ROOT/bench/common.sh"
export JAVA_HOME="$(pick_java)"
export PATH="$JAVA_HOME/bin:$PATH"
export CUMULUS_TEST_PG_URL="${CUMULUS_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export CUMULUS_TEST_REDIS_URL="${CUMULUS_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
LOG="${WORK:-/tmp/cumulus-bench-webhooks}/bench.log"
mkdir -p "$(dirname "$LOG")"

cd "$ROOT"
set +e
JVM_ARGS="-XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED -Xshare:auto"
if [[ -n "${JFR:-}" ]]; then JVM_ARGS="$JVM_ARGS -XX:StartFlightRecording=filename=$JFR,settings=profile"; fi
# platform-data in the same reactor: the outbox relay measured is this checkout's.
flock /tmp/cumulus-mvn.lock ./mvnw -B -o -pl platform-data,integration-service verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=WebhookBench \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dcumulus.test.jvm.args="$JVM_ARGS" \
  -Dcumulus.bench=true \
  -Dbench.latencyEvents="${LATENCY_EVENTS:-200}" \
  -Dbench.throughputEvents="${THROUGHPUT_EVENTS:-2000}" \
  -Dbench.slowEvents="${SLOW_EVENTS:-100}" \
  -Dbench.outboxBatchWindow="${OUTBOX_BATCH_WINDOW:-100ms}" >"$LOG" 2>&1
status=$?
set -e
RESULTS="$(sed -n '/^== webhook benchmark/,/^$/p' "$LOG")"
if [[ -z "$RESULTS" ]]; then
  echo "no results (exit $status); see $LOG" >&2
  exit 1
fi
echo "$RESULTS"

