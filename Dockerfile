# The production image, in two stages. The build stage installs the production lock
# (requirements/prod.txt: no pytest, playwright, ruff or mypy), compiles the
# translations and collects the static files with the production settings; the
# runtime stage takes only the virtualenv, the application and the collected
# static files, and runs as an unprivileged user. tests/, benchmarks/, docs and CI
# files never enter the build context (.dockerignore).

FROM python:3.13-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH LEERBRUG_VAR_DIR=/data
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
COPY requirements/prod.txt /tmp/requirements-prod.txt
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements-prod.txt
WORKDIR /app
COPY . .
# Production settings refuse to load without a secret key: a throwaway one for the
# build only (an inline variable, so it is not kept in the image).
RUN SECRET_KEY="build-only-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')" \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    sh -c 'python manage.py compilemessages >/dev/null && python manage.py collectstatic --noinput >/dev/null'

FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production LEERBRUG_VAR_DIR=/data
# /data/media exists and belongs to the app user, so the media volume mounted there
# starts writable; the collected static files stay root's (read-only for the app).
# WeasyPrint (the yearly review as PDF) needs Pango and a font at run time.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 leerbrug \
 && useradd --system --uid 10001 --gid leerbrug --no-create-home --shell /usr/sbin/nologin leerbrug \
 && mkdir -p /data/media && chown leerbrug:leerbrug /data /data/media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build /data/staticfiles /data/staticfiles
WORKDIR /app
# Numeric, so an orchestrator's "run as non-root" check can verify it.
USER 10001:10001
EXPOSE 8000
# Processes and threads: config/gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS).
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
