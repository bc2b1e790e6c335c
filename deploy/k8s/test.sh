#!/usr/bin/env bash
# The Kubernetes part of the deploy stage: every overlay builds with `kubectl kustomize` and its
# output validates against the Kubernetes API schemas (validate/validate.mjs, kubernetes-models from
# npm, offline once installed). Skips, saying why, without kubectl or node/npm.
#
#   deploy/k8s/test.sh
#
# No real API server is applied to: none runs here (Debian ships kubectl but no kube-apiserver,
# k3s or kind, and their release binaries are outside the reachable registries).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf 'k8s: %s\n' "$*"; }
command -v kubectl >/dev/null || { say "SKIP: kubectl is not installed (apt-get install kubernetes-client)"; exit 0; }
command -v npm >/dev/null || { say "SKIP: node/npm is not installed (apt-get install npm)"; exit 0; }
if [[ ! -d "$HERE/validate/node_modules/kubernetes-models" ]]; then
  (cd "$HERE/validate" && npm ci --no-audit --no-fund --silent) || { say "FAIL: npm ci in $HERE/validate"; exit 1; }
fi
failed=0
# The validator must refuse what an API server would drop or refuse: a misspelt field, a wrong type.
for broken in 'replicaz: 2' 'replicas: two'; do
  manifest="$(printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec:\n  %s\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}\n' "$broken")"
  if node "$HERE/validate/validate.mjs" <<<"$manifest" >/dev/null 2>&1; then
    say "FAIL validator: accepted a Deployment with '$broken'"
    failed=1
  fi
done
for overlay in "$HERE"/overlays/*/; do
  overlay="${overlay%/}"
  name="${overlay##*/}"
  if ! rendered="$(kubectl kustomize "$overlay" 2>&1)"; then
    say "FAIL overlays/$name: kubectl kustomize: $rendered"
    failed=1
    continue
  fi
  if result="$(node "$HERE/validate/validate.mjs" <<<"$rendered" 2>&1)"; then
    say "PASS overlays/$name: $result"
  else
    say "FAIL overlays/$name:"
    printf '%s\n' "$result" | sed 's/^/k8s:   /'
    failed=1
  fi
done
exit "$failed"
