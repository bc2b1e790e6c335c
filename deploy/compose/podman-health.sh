#!/usr/bin/env bash
# Runs the health checks of a compose project's containers every INTERVAL seconds (default 5).
#
#   deploy/compose/podman-health.sh [PROJECT] [INTERVAL] &
#
# podman schedules health checks with systemd timers; where there is no systemd (containers, CI),
# nothing runs them, every container stays "starting" and compose's `condition: service_healthy`
# waits forever. `podman healthcheck run` is the check podman would run, recorded the same way.
# Exits when the project has no container left.
set -uo pipefail
project="${1:-compose}"
interval="${2:-5}"
seen=0
while :; do
  mapfile -t containers < <(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.ID}}')
  if ((${#containers[@]} == 0)); then
    ((seen)) && exit 0
  else
    seen=1
    # One at a time: each check is a podman process and an exec, not free on a busy machine.
    # Containers without a check answer an error: nothing to do for them.
    for id in "${containers[@]}"; do timeout 30 podman healthcheck run "$id" >/dev/null 2>&1; done
  fi
  sleep "$interval"
done
