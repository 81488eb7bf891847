#!/usr/bin/env bash
# The fault suite: starts PostgreSQL (cluster "chaos", fresh database), builds in Release, then runs Chaos
# (Outreach.Chaos.dll), which starts 2 silos and 2 web nodes, puts steady load on them and injects faults one
# scenario after another, checking the system after each. Not part of ./test.sh or CI. See docs/RELIABILITY.md.
#
#   ./chaos.sh                          # every scenario: silo-kill, web-kill, db-outage, hostile
#   ./chaos.sh --scenario db-outage     # one of them
#   ./chaos.sh --duration 30 --rate 5 --seed 3
#
# Exit status 0 when every check passed, 1 when any failed, 2 on a usage error.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$OUTREACH_ROOT"

silo_dll="$OUTREACH_ROOT/Silo/bin/Release/net10.0/Outreach.Silo.dll"
web_dll="$OUTREACH_ROOT/Web/bin/Release/net10.0/Outreach.Web.dll"
chaos_dll="$OUTREACH_ROOT/Chaos/bin/Release/net10.0/Outreach.Chaos.dll"
log_dir="$(state_dir chaos)/logs"
pid_file="$(state_dir chaos)/pids"
mkdir -p "$log_dir"
for f in "$log_dir"/*.log; do [[ -e "$f" ]] && mv -f "$f" "$f.1"; done
: >"$pid_file"
started_pg=0

# Kills every node Chaos started (it records each pid with its name), then stops PostgreSQL if we started it.
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
    local status=$? pid _name
    trap - EXIT INT TERM
    while read -r pid _name; do
        [[ "$pid" =~ ^[0-9]+$ ]] || continue
        grep -qa Outreach "/proc/$pid/cmdline" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    done <"$pid_file"
    ((started_pg == 0)) || stop_postgres chaos
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_postgres
start_postgres chaos
[[ -z "${_PG_STARTED[chaos]:-}" ]] || started_pg=1
connection=$OUTREACH_PG_CONNECTION
pg_sock="$OUTREACH_STATE/chaos/socket"

log "creating a fresh database $PG_DATABASE"
psql -X -q -v ON_ERROR_STOP=1 -h "$pg_sock" -p "$OUTREACH_PG_PORT" -U postgres -d postgres \
    -v db="$PG_DATABASE" -v role="$PG_ROLE" >/dev/null <<'SQL' || die "could not recreate the chaos database"
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') \gexec
SQL

ensure_npm
build_solution
[[ -f "$silo_dll" && -f "$web_dll" && -f "$chaos_dll" ]] || die "the build did not produce the silo, web and chaos dlls"

# Two silos and two web nodes on free ports (away from run.sh's and bench.sh's).
silo_a="$(free_port 11411),$(free_port 30400),$(free_port 5390)"
silo_b="$(free_port 11421),$(free_port 30410),$(free_port 5395)"
web_a="$(free_port 5380)"
web_b="$(free_port $((web_a + 1)))"

log "running the fault suite: dotnet $chaos_dll $* (logs: $log_dir)"
status=0
dotnet "$chaos_dll" --db "$connection" --silo-dll "$silo_dll" --web-dll "$web_dll" --web-root "$OUTREACH_ROOT/Web" \
    --log-dir "$log_dir" --pid-file "$pid_file" --postgres-script "$OUTREACH_ROOT/scripts/chaos-postgres.sh" \
    --silo "$silo_a" --silo "$silo_b" --web "$web_a" --web "$web_b" "$@" || status=$?
exit "$status"
