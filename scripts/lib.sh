# shellcheck shell=bash
# Common functions of run.sh and test.sh. Source it; it does not run anything by itself.
#
# Everything a run leaves behind (PostgreSQL clusters, logs, pid files) lives in one state directory per
# user and checkout: /var/tmp/outreach-<uid>-<hash of the checkout's path>/. It is not under the checkout
# because, as root, the `postgres` user must be able to walk every parent of its data directory.

# --- Paths and environment -------------------------------------------------------------------------------

OUTREACH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
OUTREACH_STATE="/var/tmp/outreach-$(id -u)-$(printf '%s' "$OUTREACH_ROOT" | sha256sum | cut -c1-10)"
PG_BIN=/usr/lib/postgresql/15/bin
readonly OUTREACH_ROOT OUTREACH_STATE PG_BIN

# Quiet, non-interactive tools: CI runs us with no stdin.
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive
# Apphosts look for the runtime in DOTNET_ROOT; derive it from the `dotnet` on PATH when it is not set.
if [[ -z "${DOTNET_ROOT:-}" ]] && command -v dotnet >/dev/null 2>&1; then
    DOTNET_ROOT="$(dirname "$(readlink -f "$(command -v dotnet)")")"
    export DOTNET_ROOT
fi

# --- Messages --------------------------------------------------------------------------------------------

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints the last lines of a log file, indented, if it exists.
show_log_tail() {
    local file=$1 lines=${2:-40}
    [[ -f "$file" ]] || return 0
    printf -- '--- last %s lines of %s ---\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/    /' >&2
    printf -- '--- end of %s ---\n' "$file" >&2
}

# --- State directory -------------------------------------------------------------------------------------

# Creates the state directory (or the subdirectory NAME of it) and returns its path on stdout. /var/tmp is
# shared with other users, so refuse a top directory that is a symlink or belongs to someone else.
state_dir() {
    local sub=${1:-}
    if [[ ! -d "$OUTREACH_STATE" ]]; then
        mkdir -m 0755 "$OUTREACH_STATE" 2>/dev/null || [[ -d "$OUTREACH_STATE" ]] ||
            die "cannot create $OUTREACH_STATE"
    fi
    if [[ -L "$OUTREACH_STATE" || ! -O "$OUTREACH_STATE" ]]; then
        die "$OUTREACH_STATE is a symlink or is owned by another user; remove it and re-run"
    fi
    if [[ -n "$sub" ]]; then
        mkdir -p "$OUTREACH_STATE/$sub"
        # The postgres user (as root) must walk into it whatever the umask is.
        chmod 0755 "$OUTREACH_STATE/$sub"
        printf '%s\n' "$OUTREACH_STATE/$sub"
    else
        printf '%s\n' "$OUTREACH_STATE"
    fi
}

# --- Packages --------------------------------------------------------------------------------------------

_APT_UPDATED=0

# Installs Debian packages: as root directly, otherwise through password-less sudo; else stops with one
# message saying what to install.
_apt_install() {
    local -a sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n env DEBIAN_FRONTEND=noninteractive)
        else
            die "missing Debian package(s): $*. Install them as root (apt-get install $*) and re-run."
        fi
    fi
    local aptlog
    aptlog="$(state_dir)/apt.log"
    log "installing $* (apt-get; log: $aptlog)"
    if [[ $_APT_UPDATED -eq 0 ]]; then
        "${sudo[@]}" apt-get update -q >>"$aptlog" 2>&1 || { show_log_tail "$aptlog"; die "apt-get update failed"; }
        _APT_UPDATED=1
    fi
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >>"$aptlog" 2>&1 ||
        { show_log_tail "$aptlog"; die "apt-get install $* failed"; }
}

ensure_postgres() {
    [[ -x "$PG_BIN/pg_ctl" ]] || _apt_install postgresql
    [[ -x "$PG_BIN/pg_ctl" ]] || die "PostgreSQL 15 is still missing at $PG_BIN after installing it"
    command -v psql >/dev/null 2>&1 || die "psql is missing: install the postgresql-client package"
}

ensure_openssl() {
    command -v openssl >/dev/null 2>&1 || _apt_install openssl
    command -v openssl >/dev/null 2>&1 || die "openssl is still missing after installing it"
}

ensure_chromium() {
    [[ -x /usr/bin/chromium ]] || _apt_install chromium chromium-driver
    [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is still missing after installing it"
    # The pages speak Chinese first: without a CJK font the screenshots show empty boxes.
    [[ -d /usr/share/fonts/opentype/noto ]] || _apt_install fonts-noto-cjk
}

# --- Cluster certificates --------------------------------------------------------------------------------

# make_cluster_certificates DIR NAME...
# Keeps a local CA (DIR/ca.pem, ca.key) and, for each NAME, a certificate it issued (DIR/NAME.pem, NAME.key) for
# Orleans TLS (docs/SECURITY.md). Made once and kept; a certificate is issued again only when it is missing, not
# issued by this CA, or expires within 30 days. Keys are readable by this user only. NAME "silo" also serves.
make_cluster_certificates() {
    local dir=$1 name usage
    shift
    ensure_openssl
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [[ ! -s "$dir/ca.pem" || ! -s "$dir/ca.key" ]]; then
        log "making the local CA of the cluster's certificates ($dir/ca.pem)"
        (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -days 3650 -nodes \
            -subj "/CN=Outreach local cluster CA" -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1) ||
            die "openssl could not make $dir/ca.pem"
    fi
    for name in "$@"; do
        if [[ -s "$dir/$name.pem" && -s "$dir/$name.key" ]] &&
            openssl verify -CAfile "$dir/ca.pem" "$dir/$name.pem" >/dev/null 2>&1 &&
            openssl x509 -checkend $((30 * 86400)) -noout -in "$dir/$name.pem" >/dev/null 2>&1; then
            continue
        fi
        usage=clientAuth
        [[ $name != silo ]] || usage=serverAuth,clientAuth
        log "issuing the cluster certificate '$name' ($dir/$name.pem)"
        (umask 077 &&
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=outreach-$name" \
                -keyout "$dir/$name.key" -out "$dir/$name.csr" >/dev/null 2>&1 &&
            openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -sha256 -days 397 \
                -set_serial "0x$(openssl rand -hex 16)" -out "$dir/$name.pem" \
                -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\n' "$usage") \
                >/dev/null 2>&1) || die "openssl could not issue $dir/$name.pem"
        rm -f "$dir/$name.csr"
    done
}

# --- Ports -----------------------------------------------------------------------------------------------

# True when something listens on TCP PORT (any local address).
port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# Prints the first free port from START, trying up to 100 of them.
free_port() {
    local port
    for ((port = $1; port < $1 + 100; port++)); do
        if ! port_in_use "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free TCP port in $1..$(($1 + 99))"
}

# --- PostgreSQL ------------------------------------------------------------------------------------------

# The role and database the applications use, in every cluster.
PG_ROLE=outreach
PG_DATABASE=outreach
readonly PG_ROLE PG_DATABASE

declare -gA _PG_STARTED=()

# Runs a PostgreSQL server program as the owner of the cluster: as root that is the `postgres` user
# (initdb refuses root), from / so it is not left in a directory it cannot read.
_pg_as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Prints the port of the server running on data directory DATA with its socket in SOCK; fails when none
# runs. Cheaper than `pg_ctl status` through runuser: postmaster.pid holds the pid (line 1) and port
# (line 4); the process name and the socket file guard against a stale pid file whose pid was reused.
_pg_running_port() {
    local data=$1 sock=$2 pid port
    [[ -f "$data/postmaster.pid" ]] || return 1
    { read -r pid && read -r _ && read -r _ && read -r port; } <"$data/postmaster.pid" || return 1
    [[ "$pid" =~ ^[0-9]+$ && "$port" =~ ^[0-9]+$ ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres && -S "$sock/.s.PGSQL.$port" ]] || return 1
    printf '%s\n' "$port"
}

# Builds an Npgsql connection string to database DB of cluster NAME (after start_postgres NAME).
pg_connection_string() {
    local name=$1 db=${2:-$PG_DATABASE} dir
    dir="$OUTREACH_STATE/$name"
    printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s\n' \
        "$(<"$dir/port")" "$PG_ROLE" "$(<"$dir/password")" "$db"
}

# start_postgres NAME [--fast] [--createdb] [--statements]
# Starts (or reuses) the project-local cluster NAME ("run" or "test"), makes sure the role and database
# exist, and exports OUTREACH_PG_CONNECTION (Npgsql connection string to the role's database) and
# OUTREACH_PG_PORT. --fast turns durability off (tests only); --createdb lets the role create databases;
# --statements loads pg_stat_statements (the bench's per-statement counters).
start_postgres() {
    local name=$1 fast=0 createdb=0 statements=0
    shift
    while (($#)); do
        case $1 in
            --fast) fast=1 ;;
            --createdb) createdb=1 ;;
            --statements) statements=1 ;;
            *) die "start_postgres: unknown option $1" ;;
        esac
        shift
    done

    local dir data sock base port password lock_fd
    dir="$(state_dir "$name")"
    data="$dir/pgdata"
    sock="$dir/socket"
    case $name in
        run) base=55432 ;;
        test) base=55532 ;;
        *) base=55632 ;;
    esac

    # One start at a time per cluster (two scripts started together must not both run initdb).
    exec {lock_fd}>"$dir/lock"
    flock "$lock_fd"

    # The role's password, made once per cluster; readable by this user only.
    if [[ ! -s "$dir/password" ]]; then
        (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$dir/password")
    fi
    password="$(<"$dir/password")"

    if [[ ! -f "$data/PG_VERSION" ]]; then
        log "creating PostgreSQL cluster '$name' in $data"
        rm -rf "$data"
        mkdir -m 0700 "$data"
        [[ $(id -u) -ne 0 ]] || chown postgres: "$data"
        _pg_as_owner "$PG_BIN/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
            { show_log_tail "$dir/initdb.log"; die "initdb failed for cluster '$name'"; }
    fi
    # The socket directory is private: local connections are trusted, so nobody else may reach it.
    mkdir -p "$sock"
    chmod 0700 "$sock"
    [[ $(id -u) -ne 0 ]] || chown postgres: "$sock"

    if port="$(_pg_running_port "$data" "$sock")"; then
        # Already up: reuse it and its port. If the script that started it is gone (killed before its
        # cleanup ran), adopt the server so that this script stops it at exit; if that script still runs,
        # it is shared and left to its owner.
        local owner=""
        [[ ! -s "$dir/started-by" ]] || owner="$(<"$dir/started-by")"
        if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
            printf '%s\n' "$$" >"$dir/started-by"
            _PG_STARTED[$name]=1
        fi
    else
        # Prefer the port of the previous start, so connection strings stay the same between runs.
        port=""
        if [[ -s "$dir/port" ]] && ! port_in_use "$(<"$dir/port")"; then
            port="$(<"$dir/port")"
        fi
        [[ -n "$port" ]] || port="$(free_port "$base")"
        # Each silo or web node holds up to two pools of 20 connections (its own, and the Orleans providers'):
        # 2 silos + 2 web nodes, or the tests' systems running side by side, need more than PostgreSQL's 100.
        local opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock -c max_connections=300"
        if ((fast)); then
            opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off"
        fi
        if ((statements)); then
            opts+=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
        fi
        local attempt
        for attempt in 1 2 3; do
            log "starting PostgreSQL cluster '$name' on 127.0.0.1:$port"
            if _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 -o "$opts -p $port" start >/dev/null; then
                break
            fi
            # A port can be taken between the check and the bind, also by an outgoing connection's ephemeral
            # port (which no listener check sees): then take the next free one.
            if ((attempt < 3)) && tail -n 5 "$data/server.log" | grep -q "could not create any TCP/IP sockets"; then
                log "port $port was taken meanwhile"
                port="$(free_port $((port + 1)))"
                continue
            fi
            show_log_tail "$data/server.log"
            die "PostgreSQL cluster '$name' did not start"
        done
        _PG_STARTED[$name]=1
        printf '%s\n' "$$" >"$dir/started-by"
    fi
    printf '%s\n' "$port" >"$dir/port"

    # Role and database, idempotently; the password is (re)set so it always matches the password file.
    local attrs="LOGIN"
    ((createdb)) && attrs+=" CREATEDB"
    # (Over the socket, as the postgres superuser: local connections are trusted, and root may enter the
    # postgres-owned socket directory, so no runuser is needed here.)
    psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres \
        -v role="$PG_ROLE" -v db="$PG_DATABASE" -v password="$password" >/dev/null <<SQL ||
SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I $attrs PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
        die "could not create role/database in PostgreSQL cluster '$name'"

    flock -u "$lock_fd"
    exec {lock_fd}>&-

    OUTREACH_PG_PORT=$port
    OUTREACH_PG_CONNECTION="$(pg_connection_string "$name")"
    export OUTREACH_PG_PORT OUTREACH_PG_CONNECTION
}

# stop_postgres NAME: stops cluster NAME if start_postgres started (or adopted) it in this script; else
# leaves it be.
stop_postgres() {
    local name=$1
    [[ -n "${_PG_STARTED[$name]:-}" ]] || return 0
    unset "_PG_STARTED[$name]"
    log "stopping PostgreSQL cluster '$name'"
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$OUTREACH_STATE/$name/pgdata" -m fast -w -t 60 stop >/dev/null ||
        warn "PostgreSQL cluster '$name' did not stop cleanly"
    rm -f "$OUTREACH_STATE/$name/started-by"
}

# --- HTTP ------------------------------------------------------------------------------------------------

# wait_http URL TIMEOUT_S [LOG_FILE [PID]]
# Waits until GET URL answers 2xx. Fails (exit) after TIMEOUT_S seconds, or at once when process PID has
# exited, showing the tail of LOG_FILE.
wait_http() {
    local url=$1 timeout=$2 logfile=${3:-} pid=${4:-}
    local deadline=$((SECONDS + timeout))
    while ! curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            [[ -z "$logfile" ]] || show_log_tail "$logfile"
            die "the process behind $url (pid $pid) exited before it became ready${logfile:+; log: $logfile}"
        fi
        if ((SECONDS >= deadline)); then
            [[ -z "$logfile" ]] || show_log_tail "$logfile"
            die "$url did not answer 2xx within ${timeout}s${logfile:+; log: $logfile}"
        fi
        sleep 0.5
    done
}

# --- Front-end packages ----------------------------------------------------------------------------------

# Installs Web's npm packages when Web/package.json exists; skipped when node_modules already matches the
# lockfile (a stamp holds the lockfile's hash), since `npm ci` always reinstalls from scratch.
ensure_npm() {
    local web="$OUTREACH_ROOT/Web"
    [[ -f "$web/package.json" ]] || return 0
    command -v npm >/dev/null 2>&1 || die "Web/package.json needs npm: install Node.js 20 and npm"
    if [[ -f "$web/package-lock.json" ]]; then
        local stamp="$web/node_modules/.outreach-lock-sha256" hash
        hash="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
        if [[ -f "$stamp" && "$(<"$stamp")" == "$hash" ]]; then
            return 0
        fi
        log "installing npm packages (npm ci)"
        npm ci --prefix "$web" --no-audit --no-fund --loglevel=error || die "npm ci failed in Web/"
        printf '%s\n' "$hash" >"$stamp"
    else
        log "installing npm packages (npm install; commit Web/package-lock.json to pin them)"
        npm install --prefix "$web" --no-audit --no-fund --loglevel=error || die "npm install failed in Web/"
    fi
}

# --- .NET ------------------------------------------------------------------------------------------------

# Builds the solution in Release; prints only warnings and errors.
build_solution() {
    command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH: install the .NET 10 SDK"
    log "building Outreach.sln (Release)"
    dotnet build "$OUTREACH_ROOT/Outreach.sln" -c Release -nologo -v quiet ||
        die "dotnet build failed (see the errors above)"
}
