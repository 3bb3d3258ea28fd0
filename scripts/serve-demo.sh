#!/usr/bin/env bash
# Serve PRIMA for a demo: Django's development server on 127.0.0.1:PORT plus one
# background-task worker (django-tasks-db's db_worker), stopped together on Ctrl-C/TERM,
# or as soon as either of them exits.
#
#   PORT=8000 scripts/serve-demo.sh        (`make demo` migrates and loads data first)
#
# Both run without auto-reload: a reloading parent killed by TERM would leave its child
# holding the port.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
BIN=${VENV:-.venv}/bin
URL="http://127.0.0.1:$PORT/"

server_pid=""
worker_pid=""

stop() {
    trap - EXIT INT TERM
    echo
    echo "Stopping the server and the worker…"
    for pid in $server_pid $worker_pid; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $server_pid $worker_pid; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop EXIT
# Ctrl-C or TERM is the normal way to end a demo: not an error.
trap 'exit 0' INT TERM

("$BIN/python" -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(f"Port {sys.argv[1]} is already in use: try make demo PORT=8001")
finally:
    s.close()' "$PORT")

(exec "$BIN/prima" db_worker --no-reload --queue-name '*' --interval 1 \
    --worker-id "demo-$PORT") &
worker_pid=$!
(exec "$BIN/prima" runserver "127.0.0.1:$PORT" --noreload) &
server_pid=$!

# Announce the URL once the server answers its health check.
"$BIN/python" - "$URL" <<'EOF' || true
import sys
import time
import urllib.request

url = sys.argv[1]
try:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        sys.exit(f"PRIMA did not answer at {url}healthz within 20 s.")
except KeyboardInterrupt:
    sys.exit(130)
print(f"\nPRIMA is running at {url}  (log in with a demo user above; Ctrl-C stops it)\n",
      flush=True)
EOF

# Whichever stops first (or Ctrl-C) stops both.
set +e
wait -n "$server_pid" "$worker_pid"
status=$?
exit "$status"
