#!/usr/bin/env bash
# Throwaway Postgres and Redis on loopback for the cluster-mode tests and benchmarks.
#
#   eval "$(scripts/test-services.sh start)"   # starts both, prints the exports to evaluate
#   scripts/test-services.sh stop              # stops them and removes their data ($VAULTROOM_SERVICES_DIR)
#
# Postgres runs from a temporary data directory with trust authentication for the local test user,
# listening on 127.0.0.1 and a unix socket in that directory only; Redis keeps nothing on disk.
# As root, Postgres runs as the `postgres` system user (it refuses to run as root).
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" ]] || { echo "test-services: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir pg_port redis_port bin
  dir=$(mktemp -d /tmp/vaultroom-services-XXXXXX)
  chmod 755 "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
  bin=$(pg_bin)
  pg_port=$(free_port)
  redis_port=$(free_port)
  as_pg "$bin/initdb" -D "$dir/pg" -A trust -U vaultroom >/dev/null
  as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
    -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on" start >/dev/null
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "export VAULTROOM_SERVICES_DIR=$dir"
  echo "export VAULTROOM_TEST_POSTGRES=postgres://vaultroom@127.0.0.1:$pg_port/postgres"
  echo "export VAULTROOM_TEST_REDIS=redis://127.0.0.1:$redis_port"
}

stop() {
  # An explicit directory wins: a test stopping its private services must never stop the shared ones.
  local dir=${1:-${VAULTROOM_SERVICES_DIR:-}}
  [[ -n "$dir" && -d "$dir" ]] || return 0
  [[ -f "$dir/redis.pid" ]] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  [[ -d "$dir/pg" ]] && as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
