# Petrasche web and worker image. Build: docker build -t petrasche .
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt

FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=site_core.settings.production
RUN groupadd --system petrasche && useradd --system --gid petrasche --home /app petrasche
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=petrasche:petrasche . .
# collectstatic needs settings to import, not real secrets.
RUN SECRET_KEY=build-only-$(python -c "print('x'*64)") ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown petrasche:petrasche /app/media
USER petrasche
EXPOSE 8000
CMD ["uvicorn", "site_core.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--lifespan", "off", "--proxy-headers"]
