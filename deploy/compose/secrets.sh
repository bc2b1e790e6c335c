#!/usr/bin/env bash
# Prints an env file with fresh random secrets for deploy/compose/docker-compose.yml:
#   deploy/compose/secrets.sh > deploy/compose/.env && chmod 600 deploy/compose/.env
# Keep the file with the volumes: the master keys encrypt data at rest, and a new key cannot read
# what the old one wrote (rotate with the *_PREVIOUS_MASTER_KEYS variables instead).
set -euo pipefail
key() { head -c 32 /dev/urandom | base64; }
password() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
cat <<ENV
# Cumulus compose secrets, made $(date -u +%Y-%m-%dT%H:%M:%SZ) by deploy/compose/secrets.sh.
CUMULUS_PG_PASSWORD=$(password)
CUMULUS_ADMIN_PASSWORD=$(password)
CUMULUS_INTERNAL_SECRET=$(key)
CUMULUS_AUTH_MASTER_KEY=$(key)
CUMULUS_STORAGE_MASTER_KEY=$(key)
CUMULUS_FUNCTION_MASTER_KEY=$(key)
CUMULUS_INTEGRATION_MASTER_KEY=$(key)
CUMULUS_RDS_MASTER_KEY=$(key)
CUMULUS_UPDATER_MASTER_KEY=$(key)
ENV
