#!/usr/bin/env bash
# Serves Petrasche through the ASGI server together with the django-q2 worker.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-site_core.settings.dev}"
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"

.venv/bin/python manage.py qcluster &
worker=$!
.venv/bin/uvicorn site_core.asgi:application --host "$host" --port "$port" --lifespan off &
web=$!

stop() {
    trap - INT TERM EXIT
    kill -TERM "$web" "$worker" 2>/dev/null || true
    wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
echo "Petrasche is running at http://$host:$port/ (worker pid $worker). Press Ctrl-C to stop."
wait -n "$web" "$worker"
