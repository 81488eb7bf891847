#!/usr/bin/env bash
# Runs the whole system locally: PostgreSQL, the Orleans silo(s) and the web node(s), until Ctrl-C.
#
# Settings (environment variables):
#   OUTREACH_WEB_URL    URL of the first web node (default http://127.0.0.1:5080); web node j listens on
#                       its port + j.
#   OUTREACH_DB         Npgsql connection string of an existing PostgreSQL; then none is started.
#   OUTREACH_SILOS      number of silos (default 1); silo i uses ports 11111+i, 30000+i and 5090+i (HTTP).
#   OUTREACH_WEB_NODES  number of web nodes (default 1).
#   OUTREACH_WEB_ENVIRONMENT  ASPNETCORE_ENVIRONMENT of the web nodes (default Development: the demo password
#                       is refused in Production).
#   Outreach__BootstrapAdmin__Login / Outreach__BootstrapAdmin__Password
#                       the first administrator (default admin / outreach-admin).
#   Sms__Hotline        the hotline number in the family's messages and on the status page (default 12351, the
#                       unions' national hotline); Reach__PublicUrl the address in links (default the web URL).
#   OUTREACH_SIMULATE   requests per minute: when set, the demo simulator (Simulator/) starts once the web
#                       node is ready; demo volunteers go on duty, move, claim and complete.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$OUTREACH_ROOT"

# --- Settings --------------------------------------------------------------------------------------------

web_url=${OUTREACH_WEB_URL:-http://127.0.0.1:5080}
silo_count=${OUTREACH_SILOS:-1}
web_count=${OUTREACH_WEB_NODES:-1}
[[ "$silo_count" =~ ^[1-9][0-9]*$ ]] || die "OUTREACH_SILOS must be a positive number (is '$silo_count')"
[[ "$web_count" =~ ^[1-9][0-9]*$ ]] || die "OUTREACH_WEB_NODES must be a positive number (is '$web_count')"
simulate=${OUTREACH_SIMULATE:-}
[[ -z "$simulate" || "$simulate" =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
    die "OUTREACH_SIMULATE must be a number of requests per minute (is '$simulate')"

# Split the web URL into scheme://host and port, so node j can listen on port + j.
if [[ "$web_url" =~ ^(https?)://([^/:]+|\[[^]/]+\])(:([0-9]+))?/?$ ]]; then
    web_base="${BASH_REMATCH[1]}://${BASH_REMATCH[2]}"
    web_port=${BASH_REMATCH[4]:-}
    if [[ -z "$web_port" ]]; then
        if [[ ${BASH_REMATCH[1]} == https ]]; then web_port=443; else web_port=80; fi
    fi
else
    die "OUTREACH_WEB_URL must look like http://host:port (is '$web_url')"
fi

: "${Outreach__BootstrapAdmin__Login:=admin}"
: "${Outreach__BootstrapAdmin__Password:=outreach-admin}"
export Outreach__BootstrapAdmin__Login Outreach__BootstrapAdmin__Password

silo_dll="$OUTREACH_ROOT/Silo/bin/Release/net10.0/Outreach.Silo.dll"
web_dll="$OUTREACH_ROOT/Web/bin/Release/net10.0/Outreach.Web.dll"
simulator_dll="$OUTREACH_ROOT/Simulator/bin/Release/net10.0/Outreach.Simulator.dll"

run_dir="$(state_dir run)"
log_dir="$run_dir/logs"
pid_dir="$run_dir/pids"
mkdir -p "$log_dir" "$pid_dir"

# --- Processes -------------------------------------------------------------------------------------------

declare -A proc_name=() # pid -> name (silo-1, web-1, ...) of the processes this script started
started_pg=0

# True when PID is alive and its command line contains PATTERN (guards against reused pids).
pid_matches() {
    local pid=$1 pattern=$2
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# Sends SIGTERM to the given pids, waits up to TIMEOUT seconds for them to exit, then SIGKILLs the rest.
terminate() {
    local timeout=$1 pid
    shift
    (($#)) || return 0
    kill -TERM "$@" 2>/dev/null || true
    local deadline=$((SECONDS + timeout))
    for pid in "$@"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            warn "pid $pid did not stop within ${timeout}s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true # reap it when it is our child
    done
}

# Stops what a previous run of this checkout left running: its run.sh first (its own trap then stops its
# processes and PostgreSQL), then any silo or web node whose pid file is still there.
stop_previous_run() {
    local file pid
    if [[ -f "$pid_dir/run.sh.pid" ]]; then
        pid="$(<"$pid_dir/run.sh.pid")"
        if [[ "$pid" != "$$" ]] && pid_matches "$pid" "${0##*/}"; then
            log "stopping the previous ./run.sh of this checkout (pid $pid)"
            terminate 60 "$pid"
        fi
    fi
    for file in "$pid_dir"/*.pid; do
        [[ -e "$file" ]] || continue
        pid="$(<"$file")"
        case ${file##*/} in
            silo-*) pid_matches "$pid" Outreach.Silo.dll || pid="" ;;
            web-*) pid_matches "$pid" Outreach.Web.dll || pid="" ;;
            simulator.pid) pid_matches "$pid" Outreach.Simulator.dll || pid="" ;;
            *) pid="" ;;
        esac
        if [[ -n "$pid" ]]; then
            log "stopping $(basename "$file" .pid) left by a previous run (pid $pid)"
            terminate 30 "$pid"
        fi
        rm -f "$file"
    done
}

# Stops web nodes first (they are the silos' clients), then silos, then PostgreSQL if we started it.
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local -a sims=() webs=() silos=()
    local pid
    for pid in "${!proc_name[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        case ${proc_name[$pid]} in
            simulator) sims+=("$pid") ;;
            web-*) webs+=("$pid") ;;
            *) silos+=("$pid") ;;
        esac
    done
    # The simulator first: it takes its volunteers off duty while the web node still answers.
    terminate 15 "${sims[@]}"
    if ((${#webs[@]} + ${#silos[@]})); then log "stopping web node(s) and silo(s)"; fi
    terminate 30 "${webs[@]}"
    terminate 60 "${silos[@]}"
    for pid in "${!proc_name[@]}"; do rm -f "$pid_dir/${proc_name[$pid]}.pid"; done
    ((started_pg == 0)) || stop_postgres run
    rm -f "$pid_dir/run.sh.pid"
    exit "$status"
}

# launch NAME WORKDIR DLL [VAR=VALUE...]: starts `dotnet DLL` in the background with the given
# environment, output to logs/NAME.log (the previous one is kept as NAME.log.1) and a pid file.
launch() {
    local name=$1 workdir=$2 dll=$3
    shift 3
    local logfile="$log_dir/$name.log"
    [[ ! -f "$logfile" ]] || mv -f "$logfile" "$logfile.1"
    (cd "$workdir" && exec env "$@" dotnet "$dll") </dev/null >"$logfile" 2>&1 &
    proc_name[$!]=$name
    printf '%s\n' "$!" >"$pid_dir/$name.pid"
    log "started $name (pid $!; log: $logfile)"
}

# --- Main ------------------------------------------------------------------------------------------------

stop_previous_run
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
printf '%s\n' "$$" >"$pid_dir/run.sh.pid"

# Every port we are about to use must be free (and distinct), or we refuse before starting anything.
declare -A port_owner=()
claim_port() {
    local port=$1 what=$2
    [[ -z "${port_owner[$port]:-}" ]] || die "port $port is wanted by both ${port_owner[$port]} and $what"
    port_owner[$port]=$what
    if port_in_use "$port"; then
        die "port $port ($what) is already in use by another program; stop it or change the settings"
    fi
}
for ((j = 0; j < web_count; j++)); do claim_port $((web_port + j)) "web node $((j + 1))"; done
for ((i = 0; i < silo_count; i++)); do
    claim_port $((11111 + i)) "silo $((i + 1)) silo port"
    claim_port $((30000 + i)) "silo $((i + 1)) gateway port"
    claim_port $((5090 + i)) "silo $((i + 1)) HTTP port"
done

if [[ -n "${OUTREACH_DB:-}" ]]; then
    log "using the PostgreSQL of OUTREACH_DB"
    connection=$OUTREACH_DB
else
    ensure_postgres
    start_postgres run
    [[ -z "${_PG_STARTED[run]:-}" ]] || started_pg=1
    connection=$OUTREACH_PG_CONNECTION
fi

ensure_npm
build_solution
[[ -f "$silo_dll" && -f "$web_dll" ]] || die "the build did not produce $silo_dll and $web_dll"

# The certificate that encrypts the data-protection keys in PostgreSQL (docs/SECURITY.md): made once per
# checkout under the state directory, kept across runs (the keys stored with it must stay readable).
key_cert="$run_dir/dataprotection.pem"
key_file="$run_dir/dataprotection.key"
if [[ ! -s "$key_cert" || ! -s "$key_file" ]]; then
    ensure_openssl
    log "making the data-protection certificate ($key_cert)"
    (umask 077 && openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -subj "/CN=outreach-dataprotection" \
        -keyout "$key_file" -out "$key_cert" >/dev/null 2>&1) || die "openssl could not make $key_cert"
fi
# The cluster's own ports (silo to silo, web node to gateway) use TLS, each end showing a certificate from a local CA:
# made once per checkout and kept under the state directory (docs/SECURITY.md, "The cluster's own ports").
tls_dir="$run_dir/tls"
make_cluster_certificates "$tls_dir" silo web
# The secret of the phone index's keyed hash (Outreach:PhoneKey): made once per checkout and kept, readable by this
# user only; every silo and web node needs the same one, and a new one would leave the stored index unreachable.
if [[ -z "${Outreach__PhoneKey:-}" ]]; then
    if [[ ! -s "$run_dir/phone-key" ]]; then
        (umask 077 && head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$run_dir/phone-key")
    fi
    Outreach__PhoneKey="$(<"$run_dir/phone-key")"
fi
export Outreach__PhoneKey
# What the family's messages and status page say, and where their links point (the channels' settings: README).
: "${Sms__Hotline:=12351}"
: "${Reach__PublicUrl:=$web_url}"
export Sms__Hotline Reach__PublicUrl

common_env=(
    "ConnectionStrings__Outreach=$connection"
    "Orleans__ClusterId=outreach"
)
declare -a silo_pids=() web_pids=()
# The simulator posts all its requests as one administrator: its rate must fit that account's intake limit.
declare -a sim_env=()
# It moves the demo volunteers itself: the web node does not refresh their home positions then.
[[ -z "$simulate" ]] || sim_env=("Outreach__RateLimits__Intake=6000" "Outreach__Demo__RefreshPositionsEvery=00:00:00")
for ((i = 0; i < silo_count; i++)); do
    launch "silo-$((i + 1))" "$(dirname "$silo_dll")" "$silo_dll" "${common_env[@]}" \
        "Orleans__ServiceId=outreach" \
        "Orleans__SiloPort=$((11111 + i))" \
        "Orleans__GatewayPort=$((30000 + i))" \
        "Orleans__Tls__Certificate__Path=$tls_dir/silo.pem" \
        "Orleans__Tls__Certificate__KeyPath=$tls_dir/silo.key" \
        "Orleans__Tls__CaPath=$tls_dir/ca.pem" \
        "ASPNETCORE_URLS=http://127.0.0.1:$((5090 + i))"
    silo_pids+=("$!")
done
# Web nodes start at once too: they wait for a silo by themselves. Their content root is the project
# folder, so Web/wwwroot is served as it is in the checkout.
for ((j = 0; j < web_count; j++)); do
    seed=false
    ((j > 0)) || seed=true
    # Development: the local run is plain http on 127.0.0.1 (the cookie is then not __Host-/Secure), and it is the
    # demo, whose bootstrap password is published (a web node outside Development refuses to start with it). Set
    # OUTREACH_WEB_ENVIRONMENT and Outreach__BootstrapAdmin__Password to your own to run it otherwise.
    launch "web-$((j + 1))" "$OUTREACH_ROOT/Web" "$web_dll" "${common_env[@]}" \
        "ASPNETCORE_ENVIRONMENT=${OUTREACH_WEB_ENVIRONMENT:-Development}" \
        "DOTNET_ENVIRONMENT=${OUTREACH_WEB_ENVIRONMENT:-Development}" \
        "ASPNETCORE_URLS=$web_base:$((web_port + j))" \
        "ASPNETCORE_CONTENTROOT=$OUTREACH_ROOT/Web" \
        "Outreach__DataProtection__Certificate__Path=$key_cert" \
        "Outreach__DataProtection__Certificate__KeyPath=$key_file" \
        "Orleans__Tls__Certificate__Path=$tls_dir/web.pem" \
        "Orleans__Tls__Certificate__KeyPath=$tls_dir/web.key" \
        "Orleans__Tls__CaPath=$tls_dir/ca.pem" \
        "Outreach__Demo__Seed=$seed" "${sim_env[@]}"
    web_pids+=("$!")
done

for ((i = 0; i < silo_count; i++)); do
    log "waiting for silo-$((i + 1))"
    wait_http "http://127.0.0.1:$((5090 + i))/healthz" 120 "$log_dir/silo-$((i + 1)).log" "${silo_pids[i]}"
done
for ((j = 0; j < web_count; j++)); do
    log "waiting for web-$((j + 1))"
    wait_http "$web_base:$((web_port + j))/readyz" 120 "$log_dir/web-$((j + 1)).log" "${web_pids[j]}"
done

if [[ -n "$simulate" ]]; then
    [[ -f "$simulator_dll" ]] || die "the build did not produce $simulator_dll"
    launch simulator "$(dirname "$simulator_dll")" "$simulator_dll" \
        "OUTREACH_SIMULATE=$simulate" "OUTREACH_SIM_URL=$web_base:$web_port" "DOTNET_ENVIRONMENT=Development"
fi

# --- Ready -----------------------------------------------------------------------------------------------

echo
echo "Outreach is running."
for ((j = 0; j < web_count; j++)); do
    echo "  web node $((j + 1)):  $web_base:$((web_port + j))/"
done
for ((i = 0; i < silo_count; i++)); do
    echo "  silo $((i + 1)):      http://127.0.0.1:$((5090 + i))/healthz  /metrics"
done
if [[ -z "${OUTREACH_DB:-}" ]]; then
    echo "  PostgreSQL:  127.0.0.1:$OUTREACH_PG_PORT, database $PG_DATABASE, role $PG_ROLE" \
        "(password in $run_dir/password)"
fi
[[ -z "$simulate" ]] || echo "  simulator:   $simulate requests a minute (log: $log_dir/simulator.log)"
echo "  cluster TLS: certificates of a local CA in $tls_dir/"
echo "  logs:        $log_dir/"
echo
echo "Demo logins:"
printf '  %-12s %s\n' "$Outreach__BootstrapAdmin__Login" "$Outreach__BootstrapAdmin__Password" \
    operator outreach-demo coordinator outreach-demo volunteer outreach-demo
echo
echo "Press Ctrl-C to stop."

# Stay in the foreground. Report any process that exits; give up when no web node is left.
while ((${#web_pids[@]})); do
    exited=""
    status=0
    wait -n -p exited "${silo_pids[@]}" "${web_pids[@]}" || status=$?
    [[ -n "$exited" ]] || break # no child left to wait for
    name=${proc_name[$exited]}
    warn "$name (pid $exited) exited with status $status"
    show_log_tail "$log_dir/$name.log" 20
    rm -f "$pid_dir/$name.pid"
    unset "proc_name[$exited]"
    for k in "${!silo_pids[@]}"; do [[ ${silo_pids[k]} != "$exited" ]] || unset "silo_pids[k]"; done
    for k in "${!web_pids[@]}"; do [[ ${web_pids[k]} != "$exited" ]] || unset "web_pids[k]"; done
done
die "no web node is running any more; stopping"
