# syntax=docker/dockerfile:1
# Build: docker build -t pasar-bahagia .
# Run:   docker run -e DJANGO_SECRET_KEY=... -e DATABASE_URL=postgres://... -p 8000:8000 pasar-bahagia
# The default command migrates (which also makes the database cache's tables,
# the shared cache without REDIS_URL), then serves: fine with one database role. With
# the owner/app roles of docker-compose.yml, migrate (and grant_app_role) as the
# owner once and start the site with the gunicorn command alone, as the app role.

FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.12-slim AS app
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=pasar.settings.production \
    MEDIA_ROOT=/data/media \
    PASAR_SERVE_MEDIA=true \
    PORT=8000
RUN useradd --create-home --uid 10001 pasar && mkdir -p /data/media && chown pasar /data/media
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=pasar . /app
# collectstatic needs a key to import settings; this one is thrown away.
RUN DJANGO_SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -dc a-z0-9) \
    python manage.py collectstatic --noinput \
    && rm -rf /app/.venv /app/db.sqlite3 /app/media
USER pasar
EXPOSE 8000
VOLUME ["/data/media"]
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'))"
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn pasar.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips='*'"]
