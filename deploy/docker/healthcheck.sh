#!/usr/bin/env bash
# Container health probe for Cumulus services, baked into every image as /opt/cumulus/healthcheck.
#
# The eclipse-temurin JRE images are not guaranteed to ship curl or wget (newer image
# generations dropped them), so this speaks just enough HTTP over bash's /dev/tcp.
#
#   healthcheck [PATH]   GET http://127.0.0.1:${CUMULUS_HTTP_PORT}${PATH}; exit 0 iff the status is 2xx.
#
# PATH defaults to /actuator/health/readiness; CUMULUS_HTTP_PORT is set by the Dockerfile from
# the PORT build argument. Used by deploy/compose/docker-compose.yml (Kubernetes uses httpGet probes).
set -u

path="${1:-/actuator/health/readiness}"
# CUMULUS_HEALTH_PORT: where actuator answers when not on the HTTP port (the gateway's 9080).
port="${CUMULUS_HEALTH_PORT:-${CUMULUS_HTTP_PORT:-8080}}"
timeout_s="${CUMULUS_HEALTHCHECK_TIMEOUT:-5}"

if ! { exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null; then
  echo "healthcheck: nothing listening on 127.0.0.1:${port}" >&2
  exit 1
fi
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAccept: application/json\r\nConnection: close\r\n\r\n' \
  "${path}" "${port}" >&3

if ! IFS= read -r -t "${timeout_s}" status_line <&3; then
  echo "healthcheck: no response from ${path} within ${timeout_s}s" >&2
  exit 1
fi
# Drain the rest (the server closes after it: Connection: close) so it never sees a reset.
while IFS= read -r -t "${timeout_s}" _ <&3; do :; done
exec 3<&- 3>&-

status_line="${status_line%$'\r'}"
case "${status_line}" in
  "HTTP/"*" 2"[0-9][0-9]*) exit 0 ;;
  *)
    echo "healthcheck: ${path} answered '${status_line}'" >&2
    exit 1
    ;;
esac
