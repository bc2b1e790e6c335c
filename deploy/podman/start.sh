#!/usr/bin/env bash
# Starts podman's Docker-compatible API at unix:///run/podman.sock (DOCKER_HOST for docker-java),
# and a local registry (Debian's docker-registry) at 127.0.0.1:5000, for function-service and
# updater-service and their tests. Installs podman, runc and docker-registry with apt when missing
# and allowed (root, CUMULUS_INSTALL_PACKAGES != 0). Idempotent; exits 0 when already running.
set -euo pipefail

SOCKET=/run/podman.sock
say() { printf 'podman: %s\n' "$*"; }

install_packages() {
  [[ ${CUMULUS_INSTALL_PACKAGES:-1} == 0 || $(id -u) != 0 ]] && return 1
  command -v apt-get >/dev/null || return 1
  say "installing podman runc docker-registry (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc docker-registry >/dev/null
}

configure() {
  # No systemd and no journald here: cgroupfs, runc, file events; no default ulimits.
  local conf=/etc/containers/containers.conf
  [[ $(id -u) == 0 ]] || return 0
  grep -q 'cgroup_manager' "$conf" 2>/dev/null && return 0
  mkdir -p /etc/containers
  cat >>"$conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
CONF
}

# The local registry speaks plain HTTP on loopback: podman must be told, or it refuses to pull.
trust_local_registry() {
  [[ $(id -u) == 0 ]] || return 0
  local conf=/etc/containers/registries.conf.d/50-cumulus-local.conf
  [[ -f "$conf" ]] && return 0
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' '# The local development registry (deploy/podman/start.sh) speaks plain HTTP on loopback.' \
    '[[registry]]' 'location = "127.0.0.1:5000"' 'insecure = true' >"$conf"
  RESTART_SERVICE=1 # a running API service read the registry config at its start
}

socket_answers() { curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; }

start_service() {
  if [[ ${RESTART_SERVICE:-0} == 1 ]] && socket_answers; then
    say "restarting the API service to load the registry configuration"
    pkill -f "podman system service --time=0 unix://$SOCKET" || true
    for _ in $(seq 1 25); do socket_answers || break; sleep 0.2; done
  fi
  socket_answers && { say "API already answers at $SOCKET"; return 0; }
  rm -f "$SOCKET"
  # From /: conmon inherits the service's working directory, and a service started in a checkout
  # that is later deleted cannot start containers ("Failed to get working directory").
  (cd / && nohup podman system service --time=0 "unix://$SOCKET" >/tmp/podman-service.log 2>&1 &)
  for _ in $(seq 1 50); do socket_answers && { say "API answers at $SOCKET"; return 0; }; sleep 0.2; done
  say "podman system service did not answer (see /tmp/podman-service.log)"
  return 1
}

start_registry() {
  timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5000' 2>/dev/null && { say "registry answers at 127.0.0.1:5000"; return 0; }
  command -v docker-registry >/dev/null || { say "docker-registry not installed"; return 0; }
  # Our own config: Debian's default one asks for htpasswd auth; this one is open, on loopback.
  local config=${TMPDIR:-/tmp}/cumulus-registry.yml
  cat >"$config" <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: ${CUMULUS_REGISTRY_DIR:-/var/tmp/cumulus-registry}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
CONF
  (cd / && nohup docker-registry serve "$config" >/tmp/docker-registry.log 2>&1 &)
  for _ in $(seq 1 50); do
    timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5000' 2>/dev/null && { say "registry answers at 127.0.0.1:5000"; return 0; }
    sleep 0.2
  done
  say "docker-registry did not answer (see /tmp/docker-registry.log)"
}

command -v podman >/dev/null || install_packages || { say "podman not installed; container tests will skip"; exit 0; }
configure
trust_local_registry
start_service
start_registry
