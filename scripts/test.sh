#!/usr/bin/env bash
# `bun run test`: every test, on both engines. Installs dependencies, builds the web app and the
# binary (the smoke, durability, cluster and browser tests start dist/vaultroom), starts a throwaway
# Postgres and Redis on loopback (scripts/test-services.sh), then runs, in parallel on the two cores:
#   - every test file under test/ (the black-box suites on the embedded SQLite engine, plus the
#     cluster tests of test/cluster/, which start their own nodes on Postgres + Redis);
#   - the black-box API, WebSocket, hostile-input and fuzz suites again with VAULTROOM_TEST_ENGINE=cluster:
#     each test app is two nodes on a fresh Postgres database and the shared Redis, requests spread
#     across both (bad input must get the same clear answer from Postgres as from SQLite: a NUL in a
#     post once was a 500 there only).
# Arguments narrow the first run (e.g. `bun run test test/api`); the cluster run is skipped then.
set -euo pipefail
cd "$(dirname "$0")/.."

bun install --frozen-lockfile
bun run build

eval "$(bash scripts/test-services.sh start)"
trap 'bash scripts/test-services.sh stop' EXIT

cluster_log=$(mktemp)
cluster_status=0
cluster_pid=""
if [[ $# -eq 0 ]]; then
  ( VAULTROOM_TEST_ENGINE=cluster bun test --conditions browser --timeout 60000 test/api test/ws test/hostile test/fuzz >"$cluster_log" 2>&1 ) &
  cluster_pid=$!
fi

status=0
bun test --conditions browser --timeout 60000 "$@" || status=$?

if [[ -n "$cluster_pid" ]]; then
  wait "$cluster_pid" || cluster_status=$?
  echo
  echo "== the API, WebSocket, hostile-input and fuzz suites on two nodes (Postgres + Redis)"
  cat "$cluster_log"
fi
rm -f "$cluster_log"
[[ $status -eq 0 && $cluster_status -eq 0 ]]
