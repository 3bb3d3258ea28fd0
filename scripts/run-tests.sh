#!/usr/bin/env bash
# The checks behind `make test`, phase by phase, with a timed summary at the end.
#
#   scripts/run-tests.sh [PHASE...]     (default: all phases, in this order)
#
# Phases: lint (ruff check, including unused `noqa` comments, and ruff format --check),
# typecheck (mypy with django-stubs, configured in pyproject.toml), deploy (manage.py
# check --deploy with production-like settings), migrations (no model change without its migration), sqlite (the whole pytest suite on
# SQLite, browser tests included), postgres (the whole suite on a private PostgreSQL
# server started by scripts/pgtest.sh).
#
# Every phase runs even when an earlier one failed (FAIL_FAST=1 stops at the first
# failure); the exit code is non-zero if any phase failed. pytest's exit code 5 ("no
# tests collected") counts as success: a pass may legitimately select nothing.
#
# Environment: VENV (default .venv), PARALLEL_PASSES (1: the two pytest passes side by
# side, the default with two or more cores; 0: one after the other), PYTEST_ARGS (extra arguments for both pytest passes,
# e.g. "-x" or "prima/monitoring"), SQLITE_PYTEST_ARGS / PG_PYTEST_ARGS (for one pass).
# JUnit reports and browser screenshots go to test-artifacts/.
set -uo pipefail

cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
BIN="$VENV/bin"
ARTIFACTS=test-artifacts
FAIL_FAST=${FAIL_FAST:-0}
PYTEST_ARGS=${PYTEST_ARGS:-}
SQLITE_PYTEST_ARGS=${SQLITE_PYTEST_ARGS:-}
PG_PYTEST_ARGS=${PG_PYTEST_ARGS:-}

phases=("$@")
if [ ${#phases[@]} -eq 0 ]; then
    phases=(lint typecheck deploy migrations sqlite postgres)
fi

mkdir -p "$ARTIFACTS"
declare -a summary=()
failed=0

now() { date +%s.%N; }
elapsed() { awk "BEGIN {printf \"%.1f\", $2 - $1}"; }

banner() {
    printf '\n==== %s ====\n' "$*"
}

# Run one phase: run_phase NAME COMMAND...; records status and duration.
run_phase() {
    local name=$1
    shift
    banner "$name"
    local t0 t1 status
    t0=$(now)
    "$@"
    status=$?
    t1=$(now)
    record_phase "$name" "$status" "$(elapsed "$t0" "$t1")"
}

# record_phase NAME STATUS SECONDS: the summary line of a finished phase.
record_phase() {
    local name=$1 status=$2 secs=$3
    if [ "$status" -eq 0 ]; then
        summary+=("$(printf '  %-11s ok      %7s s' "$name" "$secs")")
    else
        summary+=("$(printf '  %-11s FAILED  %7s s  (exit %s)' "$name" "$secs" "$status")")
        failed=1
    fi
    echo "---- $name: $([ "$status" -eq 0 ] && echo ok || echo "FAILED (exit $status)") in ${secs} s"
    if [ "$status" -ne 0 ] && [ "$FAIL_FAST" = 1 ]; then
        print_summary
        exit 1
    fi
}

# run_pytest LABEL COMMAND...: COMMAND runs pytest; exit code 5 (nothing collected) is
# counted as success.
run_pytest() {
    local label=$1
    shift
    "$@"
    local status=$?
    if [ "$status" -eq 5 ]; then
        echo "pytest ($label): no tests selected, counted as success"
        rm -f "$ARTIFACTS/junit-$label.xml"
        return 0
    fi
    return "$status"
}

pytest_options() {
    echo "-q --durations=10 --junitxml=$ARTIFACTS/junit-$1.xml -o junit_suite_name=$1"
}

phase_lint() {
    local status=0
    "$BIN/ruff" check . || status=1
    "$BIN/ruff" format --check . || status=1
    return "$status"
}

phase_typecheck() {
    "$BIN/mypy"
}

phase_deploy() {
    local key audit_key
    key=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))')
    audit_key=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')
    env -u DATABASE_URL -u DATABASE_URL_FILE -u PRIMA_SECRET_KEY_FILE -u PRIMA_AUDIT_KEY_FILE \
        PRIMA_DEBUG=false PRIMA_SECRET_KEY="$key" PRIMA_AUDIT_KEY="$audit_key" \
        PRIMA_ALLOWED_HOSTS=prima.example.go.id \
        "$BIN/python" manage.py check --deploy --fail-level WARNING
}

phase_migrations() {
    env -u DATABASE_URL "$BIN/python" manage.py makemigrations --check --dry-run
}

# The *_ARGS variables and pytest_options are word lists: unquoted on purpose.
phase_sqlite() {
    # shellcheck disable=SC2046,SC2086
    run_pytest sqlite env -u DATABASE_URL -u DATABASE_URL_FILE \
        "$BIN/pytest" $(pytest_options sqlite) -m "not postgres_only" \
        $PYTEST_ARGS $SQLITE_PYTEST_ARGS
}

phase_postgres() {
    # shellcheck disable=SC2046,SC2086
    run_pytest postgres scripts/pgtest.sh \
        "$BIN/pytest" $(pytest_options postgres) $PYTEST_ARGS $PG_PYTEST_ARGS
}

# Count tests in the JUnit reports for the closing line.
print_counts() {
    "$BIN/python" - "$ARTIFACTS" <<'EOF'
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest output
from pathlib import Path

totals = {"passed": 0, "failed": 0, "skipped": 0}
for report in sorted(Path(sys.argv[1]).glob("junit-*.xml")):
    suites = ET.parse(report).getroot()  # noqa: S314
    for suite in suites.iter("testsuite"):
        tests = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        name = report.stem.removeprefix("junit-")
        print(f"  {name}: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
        totals["passed"] += tests - failed - skipped
        totals["failed"] += failed
        totals["skipped"] += skipped
print(f"tests: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
EOF
}

print_summary() {
    banner "summary"
    printf '%s\n' "${summary[@]}"
    if [ "$failed" -eq 0 ]; then
        echo "All phases passed."
    else
        echo "FAILED: see the phases marked FAILED above."
    fi
    # The last line counts the tests of both passes ("tests: N passed, N failed, N skipped").
    print_counts
}

# Stale reports and screenshots of an earlier run must not count or mislead.
rm -rf "$ARTIFACTS"/junit-*.xml "$ARTIFACTS/screenshots"
mkdir -p "$ARTIFACTS/screenshots"
# WhiteNoise warns on every test request when STATIC_ROOT does not exist (fresh clone).
mkdir -p var/static

# Both pytest passes side by side (PARALLEL_PASSES=1, the default on a machine with two or
# more cores): each is mostly one busy process, so together they take little longer than
# the PostgreSQL pass alone. Each pass gets its own PRIMA_VAR_DIR (test database, media,
# mail) so that neither sees the other's files. The PostgreSQL pass writes to
# $ARTIFACTS/postgres.log while the SQLite pass prints as usual; the log is shown after.
PARALLEL_PASSES=${PARALLEL_PASSES:-$([ "$FAIL_FAST" = 0 ] && [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ] && echo 1 || echo 0)}

# run_passes_side_by_side: the sqlite and postgres phases at once, recorded as two phases.
run_passes_side_by_side() {
    local pg_log="$ARTIFACTS/postgres.log" pg_status_file="$ARTIFACTS/postgres.status"
    mkdir -p var/test-sqlite/static var/test-postgres/static
    rm -f "$pg_status_file"
    (
        t0=$(now)
        PRIMA_VAR_DIR="$PWD/var/test-postgres" phase_postgres >"$pg_log" 2>&1
        status=$?
        echo "$status $(elapsed "$t0" "$(now)")" >"$pg_status_file"
    ) &
    local pg_pid=$!
    banner "sqlite (postgres running alongside: $pg_log)"
    local t0 t1 status secs
    t0=$(now)
    PRIMA_VAR_DIR="$PWD/var/test-sqlite" phase_sqlite
    status=$?
    t1=$(now)
    secs=$(elapsed "$t0" "$t1")
    record_phase sqlite "$status" "$secs"
    wait "$pg_pid"
    banner "postgres (ran alongside sqlite)"
    cat "$pg_log"
    local pg_status pg_secs
    read -r pg_status pg_secs <"$pg_status_file" || { pg_status=1; pg_secs=0; }
    record_phase postgres "$pg_status" "$pg_secs"
}

t_start=$(now)
skip_postgres=0
for phase in "${phases[@]}"; do
    case "$phase" in
        sqlite)
            if [ "$PARALLEL_PASSES" = 1 ] && [[ " ${phases[*]} " == *" postgres "* ]]; then
                run_passes_side_by_side
                skip_postgres=1
            else
                run_phase sqlite phase_sqlite
            fi
            ;;
        postgres)
            [ "$skip_postgres" = 1 ] || run_phase postgres phase_postgres
            ;;
        lint | typecheck | deploy | migrations) run_phase "$phase" "phase_$phase" ;;
        *)
            echo "unknown phase: $phase (lint, typecheck, deploy, migrations, sqlite, postgres)" >&2
            exit 2
            ;;
    esac
done
summary+=("$(printf '  %-11s         %7s s' total "$(elapsed "$t_start" "$(now)")")")
print_summary
exit "$failed"
