# Repairs Online: one image for gunicorn (the default command), the Celery worker and beat, and
# manage.py (compose.yaml runs all of them; docs/deploy.md, "Containers").
#
#   docker build -t repairs-online .
#
# Stage 1 compiles the front end with Node; stage 2 installs the Python dependencies into a virtualenv;
# the final stage is Python slim with neither compilers nor Node, runs as an unprivileged user, and
# carries static files already collected (hashed names and a manifest), so no container writes them.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- 1. front end: GOV.UK Frontend and MOJ Frontend compiled with the council's own fonts ---------
FROM ${NODE_IMAGE} AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ frontend/
RUN npm run build

# --- 2. Python dependencies, from pyproject.toml's pinned list (the app itself runs from /app) ----
FROM ${PYTHON_IMAGE} AS python-deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml /tmp/pyproject.toml
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --upgrade pip \
    && pip install -r /tmp/requirements.txt

# --- 3. runtime -----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    REPORTS_EXPORT_DIR=/data/exports \
    WEB_CONCURRENCY=4

RUN groupadd --system --gid 10001 repairs \
    && useradd --system --uid 10001 --gid repairs --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin repairs \
    && mkdir -p /data/media /data/exports /data/beat /data/secrets \
    && chown -R repairs:repairs /data \
    && chmod 700 /data/secrets

WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
# The code belongs to root and is read-only to the user the processes run as.
COPY . /app
COPY --from=frontend /build/static_build /app/static_build
# Collected once, here. The two values exist only so the production settings load for this command;
# no secret is kept in the image and every container gets its own from the environment.
RUN SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=collectstatic-only DEBUG=false \
        python manage.py collectstatic --noinput \
    && chmod 755 /app/scripts/container-entrypoint.sh

USER repairs:repairs
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/scripts/container_health.py"]
ENTRYPOINT ["/app/scripts/container-entrypoint.sh"]
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", \
     "--max-requests", "2000", "--max-requests-jitter", "200"]
