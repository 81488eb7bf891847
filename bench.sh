#!/usr/bin/env bash
# The benchmark (issue #4, item 8): starts PostgreSQL, one silo and one web node on a fresh database, then runs
# Bench (Outreach.Bench.dll) against them and stops everything it started. Not part of ./test.sh or CI.
#
#   ./bench.sh                               # 10,000 volunteers, 500 connections, 100 requests/s for 30 s
#   ./bench.sh --volunteers 100000           # the same at 100,000 volunteers
#   ./bench.sh --volunteers 10000,100000     # both in one run: grows the population and measures at each
#   ./bench.sh --scenario search --volunteers 10000,100000,1000000
#                                            # the candidate search in the dispatch cells, plain SQL, PostGIS and
#                                            # Redis side by side (docs/PERF.md); installs redis-server and PostGIS
#                                            # from Debian's packages if missing and runs a throw-away redis-server
#   ./bench.sh --scenario city               # a day in a city: 100,000 registered, 20,000 on duty reporting every
#                                            # 20 s, 5,000 phones on SignalR at a second web node that is killed half
#                                            # way, 3 coordinators with the map open, 100 requests/s with claims
#   ./bench.sh --scenario city --volunteers 10000 --on-duty 2000 --sockets 500   # the same, smaller
#
# BENCH_LOG_LEVEL=Warning starts the silo and web node with that log level (default: as they ship, Information).
# BENCH_SERVER_ENV="NAME=value …" adds settings to the silo's and web nodes' environment only (e.g. the runtime's
# collector settings, DOTNET_GC…), not to the bench's own process.
# Every other option goes to the bench (see `dotnet Bench/bin/Release/net10.0/Outreach.Bench.dll --help`).
# PostgreSQL is the project-local cluster "bench" with normal durability (fsync on), database dropped and
# created anew on each run.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$OUTREACH_ROOT"

: "${Outreach__BootstrapAdmin__Login:=admin}"
: "${Outreach__BootstrapAdmin__Password:=outreach-admin}"
export Outreach__BootstrapAdmin__Login Outreach__BootstrapAdmin__Password

silo_dll="$OUTREACH_ROOT/Silo/bin/Release/net10.0/Outreach.Silo.dll"
web_dll="$OUTREACH_ROOT/Web/bin/Release/net10.0/Outreach.Web.dll"
bench_dll="$OUTREACH_ROOT/Bench/bin/Release/net10.0/Outreach.Bench.dll"
log_dir="$(state_dir bench)/logs"
mkdir -p "$log_dir"
# One bench at a time: a second one would recreate the database under the first and stop its PostgreSQL at its end.
exec {bench_lock}>"$(state_dir bench)/bench.lock"
flock -n "$bench_lock" || die "another ./bench.sh is running (lock $(state_dir bench)/bench.lock); wait for it to finish"
cluster_id=bench

declare -a server_env=()
read -r -a server_env <<<"${BENCH_SERVER_ENV:-}"
for setting in "${server_env[@]}"; do
    # env(1) would run a word without "=" as the command instead of the server.
    [[ $setting =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "BENCH_SERVER_ENV: '$setting' is not NAME=value"
done

# The scenario decides what else is needed; the option itself goes on to the bench.
scenario=offers
for ((i = 1; i <= $#; i++)); do
    if [[ ${!i} == --scenario ]]; then
        next=$((i + 1))
        scenario=${!next:-}
    fi
done

declare -a pids=()
started_pg=0
redis_pid=

# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    # Web first (it is the silo's client), then the silo; SIGTERM, then SIGKILL after 30 s.
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
        pid=${pids[k]}
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "$redis_pid" ]] && kill -0 "$redis_pid" 2>/dev/null; then
        kill -TERM "$redis_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$redis_pid" 2>/dev/null || true
    fi
    ((started_pg == 0)) || stop_postgres bench
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# launch NAME WORKDIR DLL [VAR=VALUE...]: starts `dotnet DLL` in the background, output to logs/NAME.log.
launch() {
    local name=$1 workdir=$2 dll=$3
    shift 3
    (cd "$workdir" && exec env "$@" dotnet "$dll") </dev/null >"$log_dir/$name.log" 2>&1 &
    pids+=("$!")
    log "started $name (pid $!; log: $log_dir/$name.log)"
}

ensure_postgres
if [[ $scenario == search ]]; then
    # PostGIS for the PostgreSQL major the clusters run ($PG_BIN), and Redis; only when missing.
    pg_major="$(basename "$(dirname "$PG_BIN")")"
    [[ -f "/usr/share/postgresql/$pg_major/extension/postgis.control" ]] || _apt_install "postgresql-$pg_major-postgis-3"
    [[ -f "/usr/share/postgresql/$pg_major/extension/postgis.control" ]] || die "PostGIS for PostgreSQL $pg_major is still missing after installing it"
    command -v redis-server >/dev/null 2>&1 || _apt_install redis-server
    command -v redis-server >/dev/null 2>&1 || die "redis-server is still missing after installing it"
fi
start_postgres bench --statements
[[ -z "${_PG_STARTED[bench]:-}" ]] || started_pg=1
connection=$OUTREACH_PG_CONNECTION
pg_sock="$OUTREACH_STATE/bench/socket"
postmaster_pid="$(head -n 1 "$OUTREACH_STATE/bench/pgdata/postmaster.pid")"

log "creating a fresh database $PG_DATABASE"
psql -X -q -v ON_ERROR_STOP=1 -h "$pg_sock" -p "$OUTREACH_PG_PORT" -U postgres -d postgres \
    -v db="$PG_DATABASE" -v role="$PG_ROLE" >/dev/null <<'SQL' || die "could not recreate the bench database"
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') \gexec
SQL
if [[ $scenario == search ]]; then
    psql -X -q -v ON_ERROR_STOP=1 -h "$pg_sock" -p "$OUTREACH_PG_PORT" -U postgres -d "$PG_DATABASE" \
        -c 'CREATE EXTENSION IF NOT EXISTS postgis' >/dev/null || die "could not create the postgis extension"
fi
# Which statements a request costs (printed per step); a cluster left running without the library has none.
psql -X -q -h "$pg_sock" -p "$OUTREACH_PG_PORT" -U postgres -d "$PG_DATABASE" \
    -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null 2>&1 ||
    log "pg_stat_statements is not available: the bench prints no per-statement counters"

ensure_npm
build_solution
[[ -f "$silo_dll" && -f "$web_dll" && -f "$bench_dll" ]] || die "the build did not produce the silo, web and bench dlls"

silo_port="$(free_port 11311)"
gateway_port="$(free_port 30300)"
silo_http="$(free_port 5290)"
web_port="$(free_port 5280)"
web_url="http://127.0.0.1:$web_port"
common_env=("ConnectionStrings__Outreach=$connection" "Orleans__ClusterId=$cluster_id" "Orleans__ServiceId=outreach")
# Each node logs its runtime's stops (collections) here; the bench lays them over the claim races (docs/PERF.md, session 26).
gc_dir="$log_dir/gc"
rm -rf "$gc_dir"
common_env+=("Outreach__Diagnostics__GcPauseLog=$gc_dir")
# The database is made anew on each run, so a fresh secret for the phone index's keyed hash will do.
Outreach__PhoneKey="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export Outreach__PhoneKey
# BENCH_LOG_LEVEL=Warning measures without the per-request Information logs the processes write by default.
[[ -z "${BENCH_LOG_LEVEL:-}" ]] || common_env+=("Logging__LogLevel__Default=$BENCH_LOG_LEVEL")
if ((${#server_env[@]} > 0)); then
    common_env+=("${server_env[@]}")
    log "the servers also run with: ${server_env[*]}"
fi

# The bench registers its whole population before it measures (minutes at 100,000), so positions must not go
# stale meanwhile, and no claim deadline may fire during a run: both are raised for the bench's silo only.
launch silo "$(dirname "$silo_dll")" "$silo_dll" "${common_env[@]}" \
    "Orleans__SiloPort=$silo_port" "Orleans__GatewayPort=$gateway_port" \
    "ASPNETCORE_URLS=http://127.0.0.1:$silo_http" \
    "Dispatch__PositionMaxAge=12:00:00" "Dispatch__RoutineClaimDeadline=12:00:00"
silo_pid=${pids[-1]}
# Plain http on 127.0.0.1 with the published demo password: Development (no __Host-/Secure cookie, no key certificate). Every connection logs in
# from this one address and few accounts post the whole load, so the rate limits are raised out of reach.
web_env=("ASPNETCORE_CONTENTROOT=$OUTREACH_ROOT/Web" "Outreach__Demo__Seed=false"
    "ASPNETCORE_ENVIRONMENT=Development" "DOTNET_ENVIRONMENT=Development"
    "Outreach__RateLimits__LoginPerAddress=1000000" "Outreach__RateLimits__Intake=1000000"
    "Outreach__RateLimits__Claim=1000000" "Outreach__RateLimits__Position=1000000" "Outreach__RateLimits__Notes=1000000"
    "Outreach__RateLimits__Seen=1000000")
city_iterations=1000
[[ $scenario != city ]] || web_env+=("Outreach__PasswordHasher__IterationCount=$city_iterations")
launch web "$OUTREACH_ROOT/Web" "$web_dll" "${common_env[@]}" "${web_env[@]}" "ASPNETCORE_URLS=$web_url"
web_pid=${pids[-1]}

declare -a extra=()
if [[ $scenario == city ]]; then
    # The phones' web node (killed by the bench half way through). Both nodes accept the bench accounts' cheaper
    # password hash (Development only): 20,000 logins are set-up, not what the city measures.
    web2_port="$(free_port $((web_port + 1)))"
    web2_url="http://127.0.0.1:$web2_port"
    launch web2 "$OUTREACH_ROOT/Web" "$web_dll" "${common_env[@]}" "${web_env[@]}" "ASPNETCORE_URLS=$web2_url"
    web2_pid=${pids[-1]}
    extra+=(--web2 "$web2_url" --web2-pid "$web2_pid" --password-iterations "$city_iterations")
fi
if [[ $scenario == search ]]; then
    # A throw-away Redis: no persistence, its files in the state directory, stopped by cleanup.
    redis_dir="$(state_dir bench)/redis"
    rm -rf "$redis_dir"
    mkdir -p "$redis_dir"
    redis_port="$(free_port 6390)"
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --save "" --appendonly no \
        --protected-mode yes --daemonize no </dev/null >"$log_dir/redis.log" 2>&1 &
    redis_pid=$!
    log "started redis-server (pid $redis_pid, port $redis_port; log: $log_dir/redis.log)"
    extra+=(--redis "127.0.0.1:$redis_port" --redis-pid "$redis_pid")
fi

log "waiting for the silo"
wait_http "http://127.0.0.1:$silo_http/healthz" 120 "$log_dir/silo.log" "$silo_pid"
log "waiting for the web node"
wait_http "$web_url/readyz" 120 "$log_dir/web.log" "$web_pid"
if [[ $scenario == city ]]; then
    log "waiting for the second web node"
    wait_http "$web2_url/readyz" 120 "$log_dir/web2.log" "$web2_pid"
fi

log "running the bench: dotnet $bench_dll $*"
dotnet "$bench_dll" --web "$web_url" --db "$connection" --cluster-id "$cluster_id" \
    --silo-pid "$silo_pid" --web-pid "$web_pid" --postgres-pid "$postmaster_pid" --gc-pauses "$gc_dir" "${extra[@]}" "$@"
