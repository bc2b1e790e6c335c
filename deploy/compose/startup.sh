#!/usr/bin/env bash
# Start-up time of service images under the compose stack: the stores and the named services up
# (own project, network and env file, as deploy/compose/test.sh), then each service restarted
# ROUNDS times, one at a time, the others idle. Per start it prints what the JVM reports in
# "Started ... in A seconds (process running for B)" and the wall time from `podman start` until
# the image's readiness check answers UP (polled every 0.5 s).
#
#   deploy/compose/startup.sh [ROUNDS] [SERVICE...]   (default 3: gateway storage-service auth-service)
#   CUMULUS_TAG=aot deploy/compose/startup.sh        (the images of another tag)
#
# Run it alone on the machine (/work/helpers/mvnlock here): start-up is CPU-bound.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROJECT="${CUMULUS_COMPOSE_PROJECT:-cumulus-startup}"
SOCKET="${CUMULUS_PODMAN_SOCKET:-/run/podman.sock}"
ROUNDS="${1:-3}"
shift || true
SERVICES=("$@")
((${#SERVICES[@]} > 0)) || SERVICES=(gateway storage-service auth-service)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cumulus-startup.XXXXXX")"
export DOCKER_HOST="unix://$SOCKET"
COMPOSE=(docker-compose -p "$PROJECT" -f "$ROOT/deploy/compose/docker-compose.yml" --env-file "$WORK/env")
ticker=""

say() { printf 'startup: %s\n' "$*"; }
cleanup() {
  "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1
  [[ -n "$ticker" ]] && kill "$ticker" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

container_of() { podman ps -a --filter "label=com.docker.compose.project=$PROJECT" \
  --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n 1; }

ready() { podman exec "$1" /opt/cumulus/healthcheck /actuator/health/readiness >/dev/null 2>&1; }

{
  "$ROOT/deploy/compose/secrets.sh"
  echo "CUMULUS_COMPOSE_GATEWAY_PORT=${CUMULUS_COMPOSE_GATEWAY_PORT:-18681}"
  echo "CUMULUS_COMPOSE_BIND=127.0.0.1"
  echo "CUMULUS_DOCKER_SOCKET=$SOCKET"
  echo "CUMULUS_COMPOSE_NET=${CUMULUS_COMPOSE_STARTUP_NET:-172.29.87}"
  echo "CUMULUS_TAG=${CUMULUS_TAG:-dev}"
  # As deploy/compose/test.sh runs them.
  echo "CUMULUS_JAVA_OPTIONS=${CUMULUS_COMPOSE_JAVA_OPTIONS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k}"
} >"$WORK/env"
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1
if [[ ! -d /run/systemd/system ]]; then
  "$ROOT/deploy/compose/podman-health.sh" "$PROJECT" 2 &
  ticker=$!
fi
say "up: stores + ${SERVICES[*]}"
timeout 600 "${COMPOSE[@]}" up -d "${SERVICES[@]}" >"$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log"; exit 1; }
for service in "${SERVICES[@]}"; do
  c="$(container_of "$service")"
  until ready "$c"; do sleep 2; done
done
sleep 10 # let the first starts' background work settle
for round in $(seq "$ROUNDS"); do
  for service in "${SERVICES[@]}"; do
    c="$(container_of "$service")"
    podman stop -t 40 "$c" >/dev/null
    since="$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)"
    start=$(date +%s%N)
    podman start "$c" >/dev/null
    until ready "$c"; do sleep 0.5; done
    wall=$((($(date +%s%N) - start) / 1000000))
    started="$(podman logs --since "$since" "$c" 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds (process running for [0-9.]*)' | tail -n 1)"
    printf 'startup: %-16s round %d  ready after %5.1f s  %s\n' "$service" "$round" "$(echo "$wall / 1000" | bc -l)" "$started"
    sleep 5
  done
done
