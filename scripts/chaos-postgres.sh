#!/usr/bin/env bash
# Stops or starts the fault suite's PostgreSQL cluster "chaos" (started by ./chaos.sh), for the outage scenario:
#   scripts/chaos-postgres.sh stop     # pg_ctl stop -m fast
#   scripts/chaos-postgres.sh start    # pg_ctl start, on the same port and with the same options as start_postgres
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir="$OUTREACH_STATE/chaos"
[[ -s "$dir/port" && -f "$dir/pgdata/PG_VERSION" ]] || die "no chaos cluster in $dir (run ./chaos.sh)"
port="$(<"$dir/port")"
case ${1:-} in
    stop) _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m fast -w -t 60 stop >/dev/null ;;
    start)
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" -l "$dir/pgdata/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/socket -p $port" start >/dev/null
        ;;
    *) die "usage: $0 stop|start" ;;
esac
