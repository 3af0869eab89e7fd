#!/usr/bin/env bash
# Runs one command with SITESYNC_BENCH_POSTGRES set to a throwaway PostgreSQL cluster: initdb in a temporary directory, a free
# port, the settings test.sh uses (durable: fsync and synchronous_commit on), stopped and deleted when the command ends.
# Usage: bench/with-postgres.sh dotnet bench/SiteSync.Bench/bin/Release/net10.0/SiteSync.Bench.dll push --provider postgres
# To use a cluster of your own instead, set SITESYNC_BENCH_POSTGRES to a connection string that may create databases.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS…]" >&2; exit 2; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pg_bin" ] || { echo "$0: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
run_as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_dir=$(mktemp -d /tmp/sitesync-bench-pg.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cleanup() {
  run_as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT

run_as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
run_as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" start >/dev/null
export SITESYNC_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "with-postgres.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
