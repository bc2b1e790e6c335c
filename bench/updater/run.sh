#!/usr/bin/env bash
# check-updates is bounded by registry round trips: what 100 manifest HEADs cost one after the
# other (a sequential checker) against 16 at once (updater-service's default
# cumulus.updater.registry.concurrency), against the local registry. Needs curl and the registry
# of deploy/podman/start.sh with at least one image in it. Prints both times and their ratio.
set -euo pipefail
REGISTRY=${REGISTRY:-127.0.0.1:5000}
IMAGES=${IMAGES:-100}
CONCURRENCY=${CONCURRENCY:-16}
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

# One curl process each way, so only the round trips differ: without and with --parallel.
urls=(); for i in $(seq 1 "$IMAGES"); do urls+=(-o /dev/null "http://$REGISTRY/v2/$repo/manifests/bench-$i"); done
now() { date +%s%N; }
start=$(now); curl -sS -I -H "Accept: $ACCEPT" "${urls[@]}" >/dev/null; sequential=$(( ($(now) - start) / 1000000 ))
start=$(now); curl -sS -I -H "Accept: $ACCEPT" --parallel --parallel-max "$CONCURRENCY" "${urls[@]}" >/dev/null
concurrent=$(( ($(now) - start) / 1000000 ))
printf '%d manifest HEADs: sequential %d ms, %d at once %d ms, ratio %.1fx\n' \
  "$IMAGES" "$sequential" "$CONCURRENCY" "$concurrent" "$(echo "$sequential / $concurrent" | bc -l)"
