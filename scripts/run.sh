#!/usr/bin/env bash
# Serves Petrasche through the ASGI server together with the django-q2 workers: the default
# cluster, and the "ml" cluster (one worker, one core) that checks pet photos with TensorFlow.
# Ctrl-C stops them all. One uvicorn process serves both pages and WebSockets here; production
# serves pages with granian's WSGI interface and WebSockets with uvicorn (README "Production").
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-site_core.settings.dev}"
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"

.venv/bin/python manage.py qcluster &
worker=$!
Q_CLUSTER_NAME=ml ML_THREADS=1 .venv/bin/python manage.py qcluster &
ml_worker=$!
# --no-proxy-headers: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1; the site
# reads it itself, from TRUSTED_PROXIES only.
.venv/bin/uvicorn site_core.asgi:application --host "$host" --port "$port" --lifespan off --no-proxy-headers &
web=$!

stop() {
    trap - INT TERM EXIT
    kill -TERM "$web" "$worker" "$ml_worker" 2>/dev/null || true
    wait "$web" "$worker" "$ml_worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
echo "Petrasche is running at http://$host:$port/ (worker pids $worker, ml $ml_worker). Press Ctrl-C to stop."
wait -n "$web" "$worker" "$ml_worker"
