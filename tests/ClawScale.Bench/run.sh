#!/usr/bin/env bash
# The benchmark of issue 6, on demand (not part of the test suite): `bash tests/ClawScale.Bench/run.sh`.
# Builds Release, starts a throwaway PostgreSQL cluster on a free port (default settings except max_connections),
# then runs tests/ClawScale.Bench: webhook → echo → sendMessage on PostgreSQL and SQLite (offered rate and saturation),
# pgbench single-row INSERTs, and h2load gRPC unary vs a fixed-body HTTP/2 endpoint. Everything on 127.0.0.1.
# Writes tests/ClawScale.Bench/results/<UTC date>.md. Extra arguments go to the harness (--duration 20 --rate 1000
# --clients 32 --only pipeline,pgbench|grpc|all --dbs postgresql,sqlite
# --pg-conn-extra "No Reset On Close=true"). BENCH_PG_OPTS adds server options (e.g. "-c log_statement=all"),
# BENCH_PG_LOG=<file> keeps the server log (to count the kernel's statements per message).
# Needs: .NET SDK 10, PostgreSQL (initdb, pgbench), h2load (nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v h2load >/dev/null 2>&1 || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

echo "== build (Release)"
dotnet build kernel/ClawScale.Kernel -c Release -nologo -v q
dotnet build tests/ClawScale.Bench -c Release -nologo -v q

PGDATA=$(mktemp -d /tmp/clawscale-bench-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
echo "== PostgreSQL on 127.0.0.1:$PGPORT ($PGDATA)"
as_pg "$PGBIN/initdb -D '$PGDATA/data' --auth=trust --username=postgres -E UTF8 >/dev/null"
as_pg "$PGBIN/pg_ctl -D '$PGDATA/data' -l '$PGDATA/log' -w -o \"-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top ${BENCH_PG_OPTS:-}\" start >/dev/null"
cleanup() { [ -n "${BENCH_PG_LOG:-}" ] && cp "$PGDATA/log" "$BENCH_PG_LOG"; as_pg "$PGBIN/pg_ctl -D '$PGDATA/data' -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$PGDATA"; }
trap cleanup EXIT
PGPID=$(head -n 1 "$PGDATA/data/postmaster.pid")

echo "== load before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
OUT="$ROOT/tests/ClawScale.Bench/results/$(date -u +%Y-%m-%d).md"
# Arguments given to run.sh come first, so they win (for example --out elsewhere.md).
dotnet tests/ClawScale.Bench/bin/Release/net10.0/ClawScale.Bench.dll "$@" \
  --repo "$ROOT" --pg-host 127.0.0.1 --pg-port "$PGPORT" --pg-bin "$PGBIN" --pg-pid "$PGPID" --out "$OUT"
