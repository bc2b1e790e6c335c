#!/usr/bin/env bash
# One update's time against its health check: reads finished updates from updater-service's
# database (default cumulus_updater; psql with the usual PG* variables) and splits each run
# (started_at -> completed_at) by its step log into the health gate (from "Waiting for the health
# check" to the step after it) and the overhead, everything else: the pull (also shown alone),
# creating and starting the new container, the switch (stop, remove, rename) and the database
# writes. queued_s is the wait before a worker took it (the poll interval).
# Usage: bash update-time.sh [database]
set -euo pipefail
DB=${1:-cumulus_updater}
psql -X -d "$DB" -v ON_ERROR_STOP=1 -P pager=off <<'SQL'
WITH steps AS (
  SELECT u.id, u.status, u.strategy, u.scheduled_at, u.started_at, u.completed_at,
         (u.options->>'health_check_timeout') AS gate_timeout,
         (e.entry->>'timestamp')::timestamptz AS at, e.entry->>'message' AS message,
         lead((e.entry->>'timestamp')::timestamptz) OVER (PARTITION BY u.id ORDER BY e.n) AS next_at
  FROM updates u, jsonb_array_elements(u.logs) WITH ORDINALITY AS e(entry, n)
  WHERE u.started_at IS NOT NULL AND u.completed_at IS NOT NULL
), runs AS (
  SELECT id, status, strategy,
         extract(epoch FROM started_at - scheduled_at) AS queued,
         extract(epoch FROM completed_at - started_at) AS total,
         extract(epoch FROM max(next_at) FILTER (WHERE message LIKE 'Pulling %')
                          - max(at) FILTER (WHERE message LIKE 'Pulling %')) AS pull,
         extract(epoch FROM max(next_at) FILTER (WHERE message = 'Waiting for the health check')
                          - max(at) FILTER (WHERE message = 'Waiting for the health check')) AS gate
  FROM steps
  GROUP BY id, status, strategy, scheduled_at, started_at, completed_at
)
SELECT status, strategy,
       round(greatest(queued, 0)::numeric, 2) AS queued_s,
       round(total::numeric, 2) AS run_s,
       round(pull::numeric, 2) AS pull_s,
       round(gate::numeric, 2) AS health_gate_s,
       round((total - coalesce(gate, 0))::numeric, 2) AS overhead_s
FROM runs
WHERE gate IS NOT NULL
ORDER BY status, strategy, run_s;
SQL
