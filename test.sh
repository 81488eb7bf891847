#!/usr/bin/env bash
# Runs every test: starts a throw-away-fast local PostgreSQL, builds the solution and runs `dotnet test`.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Grains".
# ./test.sh --unit runs only the unit tests (category Unit: pure code) without PostgreSQL or Chromium; a --filter given
# with it narrows them further. Categories: Unit, Database, Grains, System, Browser (Tests/Infrastructure/Category.cs).
# Works as root (CI runs it so, with CI=true and no stdin) and as a normal user; safe to re-run.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$OUTREACH_ROOT"

# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
    stop_postgres test
    # On CI nothing may outlive the job: shut the MSBuild and compiler servers the build left running.
    if [[ -n "${CI:-}" ]]; then
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unit=false
filter=""
args=()
while (($#)); do
    case "$1" in
        --unit) unit=true ;;
        --filter)
            [[ $# -ge 2 ]] || die "--filter needs an expression"
            filter="$2"
            shift
            ;;
        *) args+=("$1") ;;
    esac
    shift
done

if $unit; then
    ensure_npm
    log "building Tests (Release)"
    dotnet build Tests/Tests.csproj -c Release -nologo -v quiet || die "dotnet build failed (see the errors above)"
    log "running the unit tests"
    status=0
    dotnet test Tests/Tests.csproj -c Release --no-build --logger "console;verbosity=normal" \
        --results-directory TestResults --filter "Category=Unit${filter:+&(${filter})}" ${args[@]+"${args[@]}"} || status=$?
    if [[ -z "$filter" ]]; then
        log "checking the page scripts (npm run check in Web/)"
        npm --prefix Web run check --silent || { ((status != 0)) || status=1; }
    fi
    log "unit tests $( ((status == 0)) && echo passed || echo "FAILED (dotnet test exit status $status)")"
    exit "$status"
fi

ensure_postgres
ensure_chromium
start_postgres test --fast --createdb
# The tests create their own databases; they connect to the maintenance database to do so.
OUTREACH_TEST_DB="$(pg_connection_string test postgres)"
export OUTREACH_TEST_DB

ensure_npm
# The page scripts' own checks take seconds (eslint, tsc over the @ts-check modules, node --test over the
# pure ones); they run every time and their failure fails the run, after the .NET tests have had their turn.
log "checking the page scripts (npm run check in Web/)"
front_status=0
npm --prefix Web run check --silent || front_status=$?

build_solution

log "running the tests"
status=0
mkdir -p TestResults
dotnet test Outreach.sln -c Release --no-build --logger "console;verbosity=normal" \
    --results-directory TestResults ${filter:+--filter "$filter"} ${args[@]+"${args[@]}"} 2>&1 |
    tee TestResults/console.log || status=${PIPESTATUS[0]}
if ((front_status != 0)); then
    log "page script checks FAILED (npm run check exit status $front_status)"
    ((status != 0)) || status=$front_status
fi
if ((status == 0)); then
    log "tests passed"
else
    # The run prints a thousand lines; the failures are repeated here, last, where a CI log's tail shows them.
    if grep -q '^  Failed ' TestResults/console.log; then
        log "the failed tests, again:"
        awk '/^  Failed /{n=60} /^  (Passed|Skipped) /{n=0} n>0{print; n--}' TestResults/console.log
    fi
    log "tests FAILED (exit status $status)"
fi
exit "$status"
