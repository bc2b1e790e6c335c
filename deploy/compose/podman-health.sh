#!/usr/bin/env bash
# Runs the health checks of a compose project's containers every INTERVAL seconds (default 5); a
# container not yet healthy (starting, unhealthy) is checked every FAST seconds (default INTERVAL).
#
#   deploy/compose/podman-health.sh [PROJECT] [INTERVAL] [FAST] &
#
# podman schedules health checks with systemd timers; where there is no systemd (containers, CI),
# nothing runs them, every container stays "starting" and compose's `condition: service_healthy`
# waits forever. `podman healthcheck run` is the check podman would run, recorded the same way.
# A short FAST lets compose and the waits see a container turn healthy soon after it does, while
# the healthy ones (most, once started) cost a check only every INTERVAL.
# Exits when the project has no container left.
set -uo pipefail
project="${1:-compose}"
interval="${2:-5}"
fast="${3:-$interval}"
seen=0
declare -A last # container id -> SECONDS of its last check
while :; do
  mapfile -t containers < <(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.ID}} {{.Status}}')
  if ((${#containers[@]} == 0)); then
    ((seen)) && exit 0
  else
    seen=1
    # One at a time: each check is a podman process and an exec, not free on a busy machine.
    # Containers without a check answer an error: nothing to do for them.
    for line in "${containers[@]}"; do
      id="${line%% *}"
      if [[ "$line" != *"(starting)"* && "$line" != *"(unhealthy)"* ]] &&
        ((SECONDS - ${last[$id]:--1000000} < interval)); then
        continue
      fi
      timeout 30 podman healthcheck run "$id" >/dev/null 2>&1
      last[$id]=$SECONDS
    done
  fi
  sleep "$fast"
done
