#!/usr/bin/env bash
# check-updates is bounded by registry round trips: what 100 manifest HEADs cost one after the
# other (a sequential checker) against 16 at once (updater-service's default
# cumulus.updater.registry.concurrency), against the local registry. Needs curl and the registry
# of deploy/podman/start.sh with at least one image in it. Prints both times and their ratio.
# RTT_MS=20 puts the registry 20 ms away (delay-proxy.py, python3; loopback is left alone).
set -euo pipefail
REGISTRY=${REGISTRY:-127.0.0.1:5000}
IMAGES=${IMAGES:-100}
CONCURRENCY=${CONCURRENCY:-16}
RTT_MS=${RTT_MS:-0}
ACCEPT='application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'

repo=$(curl -fsS "http://$REGISTRY/v2/_catalog" | sed -E 's/.*"repositories":\["([^"]+)".*/\1/')
tag=$(curl -fsS "http://$REGISTRY/v2/$repo/tags/list" | sed -E 's/.*"tags":\["([^"]+)".*/\1/')
type=$(curl -fsSI -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$repo/manifests/$tag" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-type"{print $2}')
manifest=$(curl -fsS -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$repo/manifests/$tag")
# 100 watched images: the same manifest under 100 tags of a bench repository.
for i in $(seq 1 "$IMAGES"); do
  curl -fsS -o /dev/null -X PUT -H "Content-Type: $type" --data-binary "$manifest" \
    "http://$REGISTRY/v2/$repo/manifests/bench-$i" &
  (( i % 16 == 0 )) && wait
done
wait

target=$REGISTRY
if (( RTT_MS > 0 )); then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 "$(dirname "$0")/delay-proxy.py" "$port" "$REGISTRY" "$RTT_MS" &
  proxy=$!
  trap 'kill $proxy 2>/dev/null' EXIT
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null && break; sleep 0.1; done
  target=127.0.0.1:$port
fi

# One curl process each way, so only the round trips differ: without and with --parallel.
urls=(); for i in $(seq 1 "$IMAGES"); do urls+=(-o /dev/null "http://$target/v2/$repo/manifests/bench-$i"); done
now() { date +%s%N; }
start=$(now); curl -sS -I -H "Accept: $ACCEPT" "${urls[@]}" >/dev/null; sequential=$(( ($(now) - start) / 1000000 ))
start=$(now); curl -sS --no-progress-meter -I -H "Accept: $ACCEPT" --parallel --parallel-max "$CONCURRENCY" "${urls[@]}" >/dev/null
concurrent=$(( ($(now) - start) / 1000000 ))
printf '%d manifest HEADs, registry %d ms away: sequential %d ms, %d at once %d ms, ratio %.1fx\n' \
  "$IMAGES" "$RTT_MS" "$sequential" "$CONCURRENCY" "$concurrent" "$(echo "$sequential / $concurrent" | bc -l)"
