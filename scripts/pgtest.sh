#!/usr/bin/env bash
# Run a command against a private, throw-away PostgreSQL server.
#
#   scripts/pgtest.sh COMMAND [ARGS...]
#
# Starts a fresh cluster on 127.0.0.1 (a free port; no Unix socket), data under
# var/pgtest/, fsync off; exports DATABASE_URL=postgres://postgres@127.0.0.1:PORT/prima
# for COMMAND, and stops and deletes the cluster afterwards, whatever COMMAND does (also
# on Ctrl-C). Exits with COMMAND's exit code.
#
# As root, the server runs as the `postgres` system user (PostgreSQL refuses root);
# as anybody else, initdb and pg_ctl run as that user. Needs Debian's `postgresql`
# package (`make test` installs it); the newest /usr/lib/postgresql/*/bin is used.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

root_dir=$(cd "$(dirname "$0")/.." && pwd)

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return
    fi
    if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    if command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
        return
    fi
    echo "pgtest: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
}

free_port() {
    python3 - <<'EOF'
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

bindir=$(find_bindir)
port=${PGTEST_PORT:-$(free_port)}

as_root=false
if [ "$(id -u)" -eq 0 ]; then
    as_root=true
fi

# Run a PostgreSQL binary as the right user.
pg() {
    if $as_root; then
        local quoted
        quoted=$(printf '%q ' "$@")
        su postgres -s /bin/bash -c "$quoted"
    else
        "$@"
    fi
}

mkdir -p "$root_dir/var/pgtest"
base=$(mktemp -d "$root_dir/var/pgtest/run.XXXXXX")
if $as_root; then
    chown postgres: "$base"
    # The postgres user must be able to reach the folder (a clone under /root is not).
    if ! su postgres -s /bin/sh -c "test -w '$base'" 2>/dev/null; then
        rmdir "$base"
        base=$(mktemp -d /tmp/prima-pgtest.XXXXXX)
        chown postgres: "$base"
    fi
fi
data="$base/data"
log="$base/postgresql.log"

started=false
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if $started; then
        pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$base"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$(date +%s.%N)
if ! pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$base/initdb.log" 2>&1; then
    cat "$base/initdb.log" >&2
    echo "pgtest: initdb failed" >&2
    exit 1
fi
opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c fsync=off"
opts+=" -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
if ! pg "$bindir/pg_ctl" -D "$data" -l "$log" -o "$opts" -w -t 60 start >/dev/null; then
    cat "$log" >&2 || true
    echo "pgtest: the server did not start" >&2
    exit 1
fi
started=true
pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres prima
t1=$(date +%s.%N)
version=$(pg "$bindir/postgres" --version)
echo "pgtest: $version on 127.0.0.1:$port, ready in $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}") s"

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/prima"
set +e
"$@"
status=$?
set -e
exit "$status"
