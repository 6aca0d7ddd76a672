#!/usr/bin/env bash
# Before `make test` spends minutes: is everything its tiers need on this machine? Each missing
# piece is named with how to install or start it, and the run stops here.
set -uo pipefail
cd "$(dirname "$0")/.."
pg_url=${PG_URL:-postgres://postgres@127.0.0.1:5432/petrasche}
missing=0
need() {  # need <what> <hint> <command...>
    local what=$1 hint=$2
    shift 2
    if ! "$@" >/dev/null 2>&1; then
        echo "missing: $what — $hint" >&2
        missing=1
    fi
}
need "PostgreSQL at $pg_url" "start it (pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start) or set PG_URL" \
    .venv/bin/python -c "import sys, psycopg; psycopg.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" "$pg_url"
need "Redis on 127.0.0.1:6379" "redis-server --daemonize yes --port 6379 --save ''" \
    .venv/bin/python -c "import redis; redis.Redis(socket_connect_timeout=2).ping()"
need "Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}" "make browser-deps (apt-get install chromium fonts-nanum)" \
    test -x "${CHROMIUM_PATH:-/usr/bin/chromium}"
need "npm packages (node_modules)" "make browser-deps (npm ci)" test node_modules/.package-lock.json -nt package-lock.json
need "osmem-server" "make install" .venv/bin/python -c "import osmem_server"
need "initdb and pg_ctl" "apt-get install postgresql" bash -c 'ls /usr/lib/postgresql/*/bin/initdb'
need "redis-server" "apt-get install redis-server" command -v redis-server
need "nginx" "make scale-deps (apt-get install nginx-light)" test -x /usr/sbin/nginx
need "moto (S3 for the scale tier)" "make install" .venv/bin/python -c "import moto.server"
exit $missing
