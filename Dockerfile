FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY requirements/prod.txt requirements/prod.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/prod.txt
COPY . .
RUN python manage.py compilemessages --ignore=.venv >/dev/null \
 && useradd --create-home leerbrug && mkdir -p /data && chown leerbrug /data
USER leerbrug
EXPOSE 8000
