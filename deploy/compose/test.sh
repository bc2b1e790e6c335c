#!/usr/bin/env bash
# The compose stage of ./cumulus test: the images of ./cumulus images under docker-compose against
# podman's Docker API, health-gated start, the README walkthrough's core through the gateway (admin
# login, tenant, user, logins, an instance, S3 put/get), storage-service killed (SIGKILL) and
# started again with every acknowledged object read back byte for byte, then down with volumes.
#
#   deploy/compose/test.sh          (./cumulus deploy-test; CUMULUS_COMPOSE_IMAGES=0 skips the build)
#
# Skips (exit 0, saying why) without podman's API, docker-compose, jq or curl. Uses its own project
# name, env file and volumes, and publishes only the gateway, on 127.0.0.1:${CUMULUS_COMPOSE_GATEWAY_PORT:-18680}.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COMPOSE_FILE="$ROOT/deploy/compose/docker-compose.yml"
PROJECT="${CUMULUS_COMPOSE_PROJECT:-cumulus-compose-test}"
PORT="${CUMULUS_COMPOSE_GATEWAY_PORT:-18680}"
SOCKET="${CUMULUS_PODMAN_SOCKET:-/run/podman.sock}"
UP_TIMEOUT="${CUMULUS_COMPOSE_UP_TIMEOUT:-420}"
OBJECTS=20
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cumulus-compose.XXXXXX")"
passed=0
failed=0
ticker=""

say() { printf 'compose: %s\n' "$*"; }
skip() { say "SKIP: $*"; exit 0; }
check() { # check DESCRIPTION COMMAND...
  local description="$1" start=$SECONDS
  shift
  if "$@"; then
    passed=$((passed + 1))
    say "PASS $description ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    say "FAIL $description ($((SECONDS - start)) s)"
    return 1
  fi
}

COMPOSE=(docker-compose -p "$PROJECT" -f "$COMPOSE_FILE" --env-file "$WORK/env")
export DOCKER_HOST="unix://$SOCKET"
compose() { "${COMPOSE[@]}" "$@"; }

# Every container of the project running and, where it has a health check, healthy.
all_healthy() {
  local running
  running="$(podman ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}} {{.Status}}')"
  [[ "$(grep -c . <<<"$running")" == "$EXPECTED" ]] && ! grep -qv '(healthy)' <<<"$running"
}

wait_healthy() { # wait_healthy SECONDS
  local deadline=$((SECONDS + $1))
  until all_healthy; do
    if ((SECONDS >= deadline)); then
      podman ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}} {{.Status}}' | sed 's/^/compose:   /'
      return 1
    fi
    sleep 1 # the ticker below checks a starting container every second
  done
}

bring_up() {
  # docker-compose waits for each dependency's health before starting what depends on it.
  timeout "$UP_TIMEOUT" "${COMPOSE[@]}" up -d >"$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log"; return 1; }
  wait_healthy "$UP_TIMEOUT"
}

# Each service JVM (PID 1) whose image has an AOT cache maps it: a cache the JVM rejects (a runtime
# or class path that differs from the training run's) is skipped silently, so check it. At least
# one image must have one (the deploy stage bakes a few, ./cumulus images all).
aot_caches_used() {
  local c service missing=() count=0
  while read -r c service; do
    [[ "$service" == postgres || "$service" == redis || "$service" == kafka ]] && continue
    podman exec "$c" test -s /app/app.aot 2>/dev/null || continue
    count=$((count + 1))
    podman exec "$c" grep -q ' /app/app.aot$' /proc/1/maps 2>/dev/null || missing+=("$service")
  done < <(podman ps --filter "label=com.docker.compose.project=$PROJECT" \
    --format '{{.Names}} {{index .Labels "com.docker.compose.service"}}')
  ((${#missing[@]} == 0)) || say "not using /app/app.aot: ${missing[*]}"
  say "$count service images have an AOT cache"
  ((count > 0 && ${#missing[@]} == 0))
}

# README's walkthrough up to step 8 (S3 included), against this stack's gateway and admin password
# (seed 001's dev-only token call left out);
# then OBJECTS more objects, each acknowledged (200) before the next, and the keys for later.
walkthrough_core() {
  local script
  mkdir -p "$WORK/data"
  sed -n 's/^CUMULUS_ADMIN_PASSWORD=//p' "$WORK/env" >"$WORK/data/admin-password"
  # Seed 001's token endpoint is open in development only (./cumulus up): not here.
  script="$(sed -n '/<!-- walkthrough:start -->/,/^# 8\./p' "$ROOT/README.md" | grep -v '^<!--' | grep -v '^```' | grep -v '^# 8\.' |
    sed '/\$GW\/auth\/token"/{N;d}' | sed "s|^GW=http://localhost:8080|GW=http://127.0.0.1:$PORT|")"
  script+=$'\n''printf "%s %s\n" "$AK" "$SK" >"$WORK/keys"'
  script+=$'\n''for i in $(seq '"$OBJECTS"'); do head -c 4096 /dev/urandom >"$WORK/object-$i"; curl -sS --fail-with-body "${sigv4[@]}" -T "$WORK/object-$i" "$GW/s3/walkthrough/object-$i" >/dev/null; done'
  (cd "$ROOT" && WORK="$WORK" CUMULUS_DATA_DIR="$WORK/data" bash -euo pipefail -c "$script") >"$WORK/walkthrough.log" 2>&1 ||
    { tail -n 20 "$WORK/walkthrough.log"; return 1; }
  grep -qx 'hello, S3' "$WORK/walkthrough.log"
}

# SIGKILL, no graceful shutdown: what was acknowledged must already be durable.
kill_and_restart_storage() {
  # `start`, not `up -d`: docker-compose 1.29 misreads podman's network IPAM and would recreate it.
  compose kill -s SIGKILL storage-service >>"$WORK/restart.log" 2>&1 &&
    compose start storage-service >>"$WORK/restart.log" 2>&1 &&
    wait_healthy 240
}

# Every object written by walkthrough_core reads back byte for byte (retrying while the gateway
# finds a restarted storage-service again).
objects_read_back() {
  local ak sk i status
  read -r ak sk <"$WORK/keys"
  for i in $(seq "$OBJECTS"); do
    for _ in $(seq 30); do
      status="$(curl -sS -o "$WORK/read-$i" -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 --user "$ak:$sk" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "http://127.0.0.1:$PORT/s3/walkthrough/object-$i" 2>&1)"
      [[ "$status" == 200 ]] && break
      sleep 1
    done
    if ! cmp -s "$WORK/object-$i" "$WORK/read-$i"; then
      say "object-$i: HTTP $status, $(head -c 300 "$WORK/read-$i" | tr -d '\0')"
      return 1
    fi
  done
}

no_container_left() {
  [[ -z "$(podman ps -a --filter "label=com.docker.compose.project=$PROJECT" -q)" ]] &&
    [[ -z "$(podman volume ls -q --filter "label=com.docker.compose.project=$PROJECT")" ]]
}

cleanup() {
  compose down -v --remove-orphans >/dev/null 2>&1
  [[ -n "$ticker" ]] && kill "$ticker" 2>/dev/null
  rm -rf "$WORK"
}

main() {
  curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 ||
    skip "podman's Docker API does not answer at $SOCKET (bash deploy/podman/start.sh starts it)"
  local tool
  for tool in docker-compose jq curl podman; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install docker-compose jq curl)"
  done
  trap cleanup EXIT
  local start=$SECONDS
  if [[ ${CUMULUS_COMPOSE_IMAGES:-1} != 0 ]]; then
    check "./cumulus images" "$ROOT/cumulus" images || return 1
  fi
  {
    "$ROOT/deploy/compose/secrets.sh"
    echo "CUMULUS_COMPOSE_GATEWAY_PORT=$PORT"
    echo "CUMULUS_COMPOSE_BIND=127.0.0.1"
    echo "CUMULUS_DOCKER_SOCKET=$SOCKET"
    echo "CUMULUS_COMPOSE_NET=${CUMULUS_COMPOSE_TEST_NET:-172.29.86}" # apart from a stack of your own
    # Thirteen JVMs starting at once on two cores: C1 only and the serial collector, as ./cumulus up.
    echo "CUMULUS_JAVA_OPTIONS=${CUMULUS_COMPOSE_JAVA_OPTIONS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k}"
  } >"$WORK/env"
  compose down -v --remove-orphans >/dev/null 2>&1 # a previous run's leftovers
  EXPECTED="$(compose config --services | wc -l)"
  # No systemd here, so nothing would run podman's health checks (see podman-health.sh): a
  # starting container every second (compose and wait_healthy see it healthy at once), the
  # healthy ones every 5 s.
  if [[ ! -d /run/systemd/system ]]; then
    "$ROOT/deploy/compose/podman-health.sh" "$PROJECT" 5 1 &
    ticker=$!
  fi
  check "docker-compose up: every container healthy" bring_up || return 1
  check "every service JVM with an AOT cache in its image uses it" aot_caches_used
  check "README walkthrough core through the gateway (login, tenant, user, instance, S3 put/get, $OBJECTS objects)" walkthrough_core
  check "the $OBJECTS objects read back" objects_read_back
  check "storage-service killed (SIGKILL) and healthy again" kill_and_restart_storage ||
    tail -n 5 "$WORK/restart.log"
  check "all $OBJECTS acknowledged objects read back unchanged after the kill" objects_read_back
  check "docker-compose down -v" compose down -v --remove-orphans
  check "no container or volume of the project left" no_container_left
  say "$passed passed, $failed failed in $((SECONDS - start)) s"
  ((failed == 0))
}

main "$@"
