"""gunicorn's settings for production (Dockerfile, docker-compose.yml, benchmarks/load.py).

Sizing (issue 17, measured in docs/performance.md): a Leerbrug request is mostly
Python (template rendering, the access layer) and waits only briefly on PostgreSQL
and Redis, so one process per core keeps the cores busy; a second thread per process
covers those waits and keeps client connections alive. Each process holds its own
copy of the application (~120 MB) and its own database connection per thread
(``CONN_MAX_AGE``), so processes × threads must stay below PostgreSQL's
``max_connections`` for all instances together.

Override with ``WEB_CONCURRENCY`` (processes) and ``GUNICORN_THREADS``.
"""

import os

_cores = os.process_cpu_count() or 1

workers = int(os.environ.get("WEB_CONCURRENCY", _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# Load the application once, before forking: workers start faster and share memory.
preload_app = True
# Keep connections from the reverse proxy open between requests.
keepalive = 5
# Recycle a worker now and then, so a slow leak cannot grow forever.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
