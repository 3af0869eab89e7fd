#!/usr/bin/env bash
# Runs every test: installs what is missing (PostgreSQL, Chromium), starts a throwaway PostgreSQL cluster on a free
# port, runs `dotnet test` on both storage engines, stops the cluster, and prints one closing line "N passed, N failed".
# Usage: ./test.sh [--long] [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Sites]
#   --long  runs the fault suite (tests/SiteSync.FaultTests) at full size, its long tier (trait Tier=Long) included:
#           50,000 records across 100 random kills, every fail point at every occurrence, both engines. Without it, tests
#           with the trait Tier=Long are excluded (not skipped) and the fault suite runs its fast tier.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

long=0
args=()
filter=""
while [ $# -gt 0 ]; do
  case "$1" in
    --long) long=1 ;;
    --filter) filter="$2"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ "$long" -eq 1 ]; then
  export SITESYNC_FAULTS_LONG=1
  target=tests/SiteSync.FaultTests/SiteSync.FaultTests.csproj
  [ -n "$filter" ] && args+=(--filter "$filter")
else
  target=SiteSync.slnx
  args+=(--filter "${filter:+($filter)&}Tier!=Long")
fi

need_apt=()
command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
[ -d tests/SiteSync.E2ETests ] && { [ -x /usr/bin/chromium ] || need_apt+=(chromium); }
# The fault suite skews a remote's clock with Debian faketime (reliability plan F9).
[ -d tests/SiteSync.FaultTests ] && { command -v faketime >/dev/null 2>&1 || need_apt+=(faketime); }
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "test.sh: missing ${need_apt[*]} (run as root, or install them)" >&2
    exit 1
  fi
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
run_as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_dir=$(mktemp -d /tmp/sitesync-pg.XXXXXX)
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
export SITESYNC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20"
echo "test.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

results="$root/TestResults"
rm -rf "$results"
set +e
dotnet test "$target" -c Release --logger "trx" --results-directory "$results" "${args[@]}"
status=$?
set -e

# One closing line CI can read, summed over every test project's TRX file.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
